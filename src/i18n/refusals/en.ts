// Why a command refused, in English: the console, the CLI and the API's problem details say the same sentence.
import { isCleanText } from '#src/input/text.ts';
import { field, type RefusalCatalogue } from './catalogue.ts';

const FORBIDDEN = () => 'You are not allowed to do that.';

export const REFUSALS_EN: RefusalCatalogue = {
  'add-note': {
    invalid_input: (r, raw) =>
      r.fields.includes('orderNumber')
        ? 'This order does not exist.'
        : isCleanText(field(raw, 'text'), { multiline: true })
          ? 'The note is too long: keep it to 1,000 characters.'
          : 'The note contains control characters that cannot be stored. Remove them and try again.',
    forbidden: FORBIDDEN,
    not_found: () => 'This order does not exist.',
    empty: () => 'Write the note first: it is empty.',
    too_long: () => 'The note is too long: keep it to 1,000 characters.',
  },
  'create-api-key': {
    invalid_input: (r) =>
      r.fields.includes('name')
        ? 'Give the key a name of 1 to 100 characters, such as the shop or service that will use it.'
        : 'Choose the key’s scope: read, or write (which can also read).',
    forbidden: () => 'Only a store owner may create API keys.',
  },
  'revoke-api-key': {
    invalid_input: () => 'There is no such API key.',
    forbidden: () => 'Only a store owner may revoke API keys.',
    not_found: () => 'There is no such API key.',
    already_revoked: () => 'This API key was already revoked.',
  },
};
