import { Card, Space } from 'antd';
import type { Lot } from '../../../api/types';
import { DownloadButton } from '../../../components/DownloadButton';
import { useT } from '../../../i18n';
import { lotPath } from '../lot-path';

/** The files a center keeps of an opened lot: the statement (对账单) and the refund list, CSV and PDF. */
export function DownloadsCard({ lot }: { lot: Lot }) {
  const t = useT();
  const files = [
    { sub: '/statement', format: 'csv', name: `statement-${lot.lotId}.csv`, label: 'center.downloads.statementCsv', testId: 'download-statement-csv' },
    { sub: '/statement', format: 'pdf', name: `statement-${lot.lotId}.pdf`, label: 'center.downloads.statementPdf', testId: 'download-statement-pdf' },
    { sub: '/refund-list', format: 'csv', name: `refunds-${lot.lotId}.csv`, label: 'center.downloads.refundListCsv', testId: 'download-refund-list-csv' },
    { sub: '/refund-list', format: 'pdf', name: `refunds-${lot.lotId}.pdf`, label: 'center.downloads.refundListPdf', testId: 'download-refund-list-pdf' },
  ];
  return (
    <Card title={t('center.downloads.title')} data-testid="downloads">
      <Space wrap>
        {files.map((file) => (
          <DownloadButton key={file.testId} path={lotPath(lot.lotId, file.sub)} query={{ format: file.format }} fileName={file.name} label={t(file.label)} testId={file.testId} />
        ))}
      </Space>
    </Card>
  );
}
