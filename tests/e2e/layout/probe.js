// What on the page does not fit, measured in the DOM. Returns a list of faults (empty when
// the layout holds). Run by the layout tests through WebDriver.
const faults = [];
const name = (el) => {
  if (el.dataset && el.dataset.testid) return `[data-testid=${el.dataset.testid}]`;
  const cls = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
  return el.tagName.toLowerCase() + cls;
};
const text = (el) => (el.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 40);
const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';

const root = document.documentElement;
if (root.scrollWidth > root.clientWidth + 1) {
  faults.push(`the page scrolls sideways (${root.scrollWidth}px in ${root.clientWidth}px)`);
}

// The header is one row, inside the window.
const nav = document.querySelector('nav');
if (nav) {
  const box = nav.getBoundingClientRect();
  const kids = [...nav.children].filter(shown);
  const middles = kids.map((k) => { const r = k.getBoundingClientRect(); return (r.top + r.bottom) / 2; });
  if (middles.length && Math.max(...middles) - Math.min(...middles) > 6) {
    faults.push(`the header wraps onto ${Math.round(box.height)}px`);
  }
  for (const k of kids) {
    if (k.getBoundingClientRect().right > box.right + 1) faults.push(`${name(k)} sticks out of the header`);
  }
}

// Nothing spills out of its box or scrolls sideways; text cut short on purpose carries
// its whole text in a tooltip.
for (const el of document.querySelectorAll('body *')) {
  if (!(el instanceof HTMLElement) || !shown(el) || el.closest('svg, canvas')) continue;
  const cs = getComputedStyle(el);
  // A form field's own text scrolls inside it by design.
  if (cs.display === 'inline' || el.clientWidth === 0 || el.matches('input, textarea, select')) continue;
  const over = el.scrollWidth - el.clientWidth;
  // A wide data table scrolls inside its own box (.table-scroll) by design.
  const scrollsOnPurpose = el.classList.contains('table-scroll') && cs.overflowX === 'auto';
  if (over > 1 && !scrollsOnPurpose && !(cs.textOverflow === 'ellipsis' && el.title)) {
    faults.push(`${name(el)} is ${over}px too narrow for "${text(el)}"`);
  }
}

// Buttons, badges and table headings never break a label across lines (关/闭): each run
// of text in them stays on one line (a button may stack a name over a role on purpose).
for (const el of document.querySelectorAll('button, .badge, th')) {
  if (!shown(el)) continue;
  const size = parseFloat(getComputedStyle(el).fontSize) || 14;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top).sort((a, b) => a - b);
    let lines = tops.length ? 1 : 0;
    for (let i = 1; i < tops.length; i++) if (tops[i] - tops[i - 1] > size * 0.8) lines++;
    if (lines > 1) {
      faults.push(`${name(el)} breaks "${node.textContent.trim().slice(0, 30)}" onto ${lines} lines`);
      break;
    }
  }
}

// Every choice is the app's own (bits-ui), never a native GTK select that clashes with it.
for (const el of document.querySelectorAll('select')) {
  if (shown(el)) faults.push(`${name(el)} is a native select`);
}

// Columns are not squeezed out of sight.
for (const th of document.querySelectorAll('th')) {
  if (shown(th) && th.getBoundingClientRect().width < 24) faults.push(`column "${text(th)}" is squeezed`);
}
return faults;
