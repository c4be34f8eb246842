/** `/v1/lots/{lotId}` and its sub-routes, the id escaped. */
export const lotPath = (lotId: string, sub = ''): string => `/v1/lots/${encodeURIComponent(lotId)}${sub}`;
