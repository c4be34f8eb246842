import { Spin } from 'antd';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ALL_ROUTES, homeOf } from './areas';
import type { PageRoute } from './areas/types';
import { useAuth, useSession } from './auth/auth-context';
import { AppLayout } from './layout/AppLayout';
import { ForbiddenPage, NotFoundPage } from './pages/StatusPages';

const SignInPage = lazy(() => import('./pages/SignInPage'));

/** Pages need a session; without one, the sign-in page (which says how to get one). */
function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return children;
}

function RoleGate({ route }: { route: PageRoute }) {
  const session = useSession();
  if (!route.roles.includes(session.role)) return <ForbiddenPage />;
  const Page = route.page;
  return <Page />;
}

function Home() {
  return <Navigate to={`/${homeOf(useSession().role)}`} replace />;
}

/** The console's routes, under /console/ (the router's basename). */
export function App() {
  return (
    <Routes>
      <Route
        path="/sign-in"
        element={
          <Suspense fallback={<Spin />}>
            <SignInPage />
          </Suspense>
        }
      />
      <Route
        element={
          <RequireSession>
            <AppLayout />
          </RequireSession>
        }
      >
        <Route index element={<Home />} />
        {ALL_ROUTES.map((route) => (
          <Route key={route.path} path={route.path} element={<RoleGate route={route} />} />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
