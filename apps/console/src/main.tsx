import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import { AuthProvider } from './auth/auth-context';
import { takeTokenFromLocation } from './auth/token';
import { I18nProvider, useI18n } from './i18n';
import './layout/app.css';

// A token handed over by the embedding system (`/console/...#token=<jwt>`) is taken before anything renders.
takeTokenFromLocation();

function Localized() {
  const { locale } = useI18n();
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter basename="/console">
            <App />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <Localized />
    </I18nProvider>
  </StrictMode>,
);
