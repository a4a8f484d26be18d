// The demo orders the seed creates (db/seed.ts): scenario i % 7 is order 1001 + i, for customer i.
export const DEMO = {
  onTime: { number: '1001', email: 'maya.chen@example.com', phone: '(555) 200-0000' },
  delayed: { number: '1002', email: 'jonas.berg@example.com' },
  late: { number: '1003', email: 'priya.patel@example.com' },
  ready: { number: '1004', email: 'diego.alvarez@example.com' },
  cancelled: { number: '1007', email: 'hana.sato@example.com' },
  forRateLimit: { number: '1010', email: 'ethan.walker@example.com' },
  /** A delayed order of the demo's one German-speaking customer, in Berlin. */
  german: { number: '1030', email: 'mateo.khan@example.com' },
};

/** The demo staff the seed creates (src/staff/demo-staff.ts). */
export const DEMO_STAFF = {
  owner: { email: 'owner@northwind.example', password: 'porchlight-demo-owner', name: 'Rosa Lindqvist' },
  agent: { email: 'agent@northwind.example', password: 'porchlight-demo-agent', name: 'Sam Okafor' },
};
