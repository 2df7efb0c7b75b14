import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles/app.css';
import i18n from './i18n';
import { connectApi } from './api/client';
import { App } from './App';
import { useStore } from './store';
import { subscribeCoreEvents } from './store/events';

const root = createRoot(document.getElementById('root')!);
try {
  connectApi();
  subscribeCoreEvents(useStore);
  void useStore.getState().bootstrap();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} catch {
  root.render(
    <div className="boot" data-testid="boot-error">
      <p>{i18n.t('boot.noToken')}</p>
    </div>,
  );
}
