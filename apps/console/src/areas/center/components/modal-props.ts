import type { Lot } from '../../../api/types';

export interface LotModalProps {
  lot: Lot;
  open: boolean;
  onClose: () => void;
  /** The command succeeded: the page reads the lot again. */
  onDone: () => void;
}
