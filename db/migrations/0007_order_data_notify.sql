-- Tells an embedded server's order page cache that order data changed (src/app/order-page-cache.ts, decision 016).
-- One notification per writing statement, delivered with the commit (PostgreSQL folds repeats within a transaction).
-- Silent unless the session asked for it: a PostgreSQL server has no such cache, and NOTIFY would make every writing
-- commit take the notification queue's lock.
CREATE FUNCTION porchlight_order_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('porchlight.order_data_notify', true) = 'on' THEN
    PERFORM pg_notify('porchlight_order_data', '');
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER orders_data_changed AFTER INSERT OR UPDATE OR DELETE ON "orders" FOR EACH STATEMENT EXECUTE FUNCTION porchlight_order_data_changed();
--> statement-breakpoint
CREATE TRIGGER order_lines_data_changed AFTER INSERT OR UPDATE OR DELETE ON "order_lines" FOR EACH STATEMENT EXECUTE FUNCTION porchlight_order_data_changed();
--> statement-breakpoint
CREATE TRIGGER events_data_changed AFTER INSERT OR UPDATE OR DELETE ON "events" FOR EACH STATEMENT EXECUTE FUNCTION porchlight_order_data_changed();
--> statement-breakpoint
CREATE TRIGGER refunds_data_changed AFTER INSERT OR UPDATE OR DELETE ON "refunds" FOR EACH STATEMENT EXECUTE FUNCTION porchlight_order_data_changed();
--> statement-breakpoint
CREATE TRIGGER customers_data_changed AFTER INSERT OR UPDATE OR DELETE ON "customers" FOR EACH STATEMENT EXECUTE FUNCTION porchlight_order_data_changed();
--> statement-breakpoint
CREATE TRIGGER store_settings_data_changed AFTER INSERT OR UPDATE OR DELETE ON "store_settings" FOR EACH STATEMENT EXECUTE FUNCTION porchlight_order_data_changed();
--> statement-breakpoint
CREATE TRIGGER access_tokens_data_changed AFTER UPDATE OR DELETE ON "access_tokens" FOR EACH STATEMENT EXECUTE FUNCTION porchlight_order_data_changed();
