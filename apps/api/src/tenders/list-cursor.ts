import { TENDER_ID_PART } from '@tenderflow/temporal-common/ids';

/**
 * A keyset position: `<instant>~<tender id>` of the last row of the previous page. Any well-formed
 * position is a valid place to continue from, so the schema's pattern says all there is to know
 * (a day such as 02-30 rolls over, as a position it is just a moment).
 */
export const LIST_CURSOR = new RegExp(
  String.raw`^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])\.([0-9]{3})Z~(${TENDER_ID_PART})$`,
);
