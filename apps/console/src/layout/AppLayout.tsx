import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { menuFor } from '../areas';
import { useAuth, useSession } from '../auth/auth-context';
import { useI18n } from '../i18n';

/** The frame of every signed-in page: the title, who is signed in, the language switch, the role's menu. */
export function AppLayout() {
  const session = useSession();
  const { signOut } = useAuth();
  const { t, locale, setLocale } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const entries = menuFor(session.role);
  // The entry whose path is the longest prefix of the current one ('lots/L1' selects 'lots').
  const here = location.pathname.replace(/^\//, '');
  const selected = entries
    .filter((entry) => here === entry.path || here.startsWith(`${entry.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="no-print" style={{ display: 'flex', alignItems: 'center', gap: 16 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 16, flex: 1 }} data-testid="app-title">
          {t('app.title')}
        </Typography.Text>
        <Space>
          <Tag color="blue" data-testid="session-role">{t(`role.${session.role}`)}</Tag>
          <Typography.Text style={{ color: '#fff' }} data-testid="session-subject">{session.subject}</Typography.Text>
          <Button size="small" data-testid="language-switch" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
            {t('app.language')}
          </Button>
          <Button size="small" data-testid="sign-out" onClick={signOut}>
            {t('app.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider className="no-print" width={200} theme="light">
          <Menu
            mode="inline"
            data-testid="nav-menu"
            selectedKeys={selected ? [selected] : []}
            items={entries.map((entry) => ({
              key: entry.path,
              label: <span data-testid={entry.testId}>{t(entry.label)}</span>,
              onClick: () => navigate(`/${entry.path}`),
            }))}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Spin data-testid="page-loading" />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
