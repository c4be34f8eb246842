import { Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatTime, formatTimeLeft, timeLeft } from '../format';
import { useT } from '../i18n';

/** A live countdown to `to` (ticking each second), with the time itself in Asia/Shanghai as its title. */
export function Countdown({ to, testId }: { to: string; testId?: string }) {
  const t = useT();
  const [now, setNow] = useState(() => Date.now());
  const left = timeLeft(to, now);
  useEffect(() => {
    if (left.past) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [left.past]);
  return (
    <Typography.Text {...(left.past ? { type: 'secondary' as const } : {})} title={formatTime(to)} data-testid={testId} data-past={left.past}>
      {left.past ? t('app.passed') : formatTimeLeft(left, t('app.days'))}
    </Typography.Text>
  );
}
