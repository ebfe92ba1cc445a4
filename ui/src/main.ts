import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('missing #app');
// The board has a window of its own (opened with `?view=board`); its charts load only there,
// so the main window starts without them.
if (new URLSearchParams(window.location.search).get('view') === 'board') {
  import('./board/BoardApp.svelte')
    .then(({ default: BoardApp }) => mount(BoardApp, { target }))
    .catch((e: unknown) => {
      target.textContent = `The board could not start: ${String(e)} ${e instanceof Error ? (e.stack ?? "") : ""}`;
    });
} else {
  mount(App, { target });
}
