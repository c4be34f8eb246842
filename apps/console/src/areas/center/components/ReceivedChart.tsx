import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney } from '../../../format';

interface Props {
  days: { date: string; amount: string }[];
  /** The deposit deadline's day in Asia/Shanghai, marked on the axis. */
  deadlineDay: string;
  labels: { amount: string; deadline: string };
}

/**
 * Bars of money received per day (the statement's receivedByDay). A bar's height needs a number: that is
 * drawing, not money arithmetic; every amount shown (axis ticks aside) is the API's string, formatted.
 */
export default function ReceivedChart({ days, deadlineDay, labels }: Props) {
  const points = days.map((day) => ({ date: day.date, amount: day.amount, height: Number(day.amount) }));
  if (!points.some((point) => point.date === deadlineDay)) {
    points.push({ date: deadlineDay, amount: '0.00', height: 0 });
    points.sort((a, b) => a.date.localeCompare(b.date));
  }
  return (
    <div data-testid="received-chart" style={{ width: '100%', height: 260 }}>
      <ResponsiveContainer>
        <BarChart data={points} margin={{ top: 16, right: 24, bottom: 8, left: 24 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="date" />
          <YAxis width={90} />
          <Tooltip formatter={(_value, _name, item) => [formatMoney((item.payload as { amount: string }).amount), labels.amount]} />
          <Bar dataKey="height" name={labels.amount} fill="#1677ff" />
          <ReferenceLine x={deadlineDay} stroke="#cf1322" strokeDasharray="4 4" label={{ value: labels.deadline, position: 'top', fill: '#cf1322' }} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
