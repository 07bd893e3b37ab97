/**
 * Around a page loaded on demand (the supervisor's and the admin's): while its code loads, a
 * loading note; if it cannot be loaded (the network, or a console updated since this tab
 * opened, whose old files are gone), a message with a reload instead of a blank console.
 */
import { Component, Suspense, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function PageBoundary({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Failed message={t('error.pageLoad')} reload={t('error.reload')}>
      <Suspense fallback={<div className="boot muted">{t('common.loading')}</div>}>{children}</Suspense>
    </Failed>
  );
}

class Failed extends Component<{ message: string; reload: string; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('page failed', error, info.componentStack);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="page" role="alert" data-testid="page-load-failed">
        <p>{this.props.message}</p>
        <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
          {this.props.reload}
        </button>
      </div>
    );
  }
}
