import { defineMessages } from '../../i18n/define';

/** The tender center's messages; keys start with `center.`. */
export const centerMessages = defineMessages({
  'center.nav.lots': ['投标项目', 'Lots'],
  'center.nav.registerLot': ['登记项目', 'Register a lot'],
  'center.lots.title': ['投标项目', 'Lots'],
  'center.register.title': ['登记项目', 'Register a lot'],
  'center.lot.title': ['项目 {lotId}', 'Lot {lotId}'],
  'center.instructions.title': ['保证金缴纳说明', 'Payment instructions'],
});
