import { bidderMessages } from '../areas/bidder/messages';
import { centerMessages } from '../areas/center/messages';
import { operatorMessages } from '../areas/operator/messages';
import { commonMessages } from './common';
import type { Messages } from './define';

/** Every area's messages; an area adds its own file, keys prefixed with the area (`center.`, `bidder.`, `operator.`). */
export const allMessages: Messages = { ...commonMessages, ...centerMessages, ...bidderMessages, ...operatorMessages };
