import { defineMessages } from '../../i18n/define';

/** The bidder area's messages; keys start with `bidder.`. */
export const bidderMessages = defineMessages({
  'bidder.nav.bonds': ['我的保证金', 'My bonds'],
  'bidder.bonds.title': ['我的保证金', 'My bonds'],
});
