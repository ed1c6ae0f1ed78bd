import { render } from 'preact';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  render(<p role="status">Loading…</p>, root);
}
