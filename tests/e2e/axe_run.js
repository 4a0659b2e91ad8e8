// axe-core over the whole page against WCAG 2.1 A/AA, with its colour-contrast rule run on one
// element per distinct look instead of on every element with text.
//
// Why: colour contrast was four fifths of axe's time (1.3 s of 1.5 s on the contract list,
// 17 of 20 s on the API documentation), spent comparing hundreds of table cells that look
// exactly alike. Whether text meets the contrast ratio depends on its colour, size, weight,
// shadow and stroke, and on the backgrounds, opacity, filters and blend modes of the element
// and all its ancestors: two elements equal in all of those pass or fail together. So every
// element with text (or a form field) that is rendered is keyed on exactly those computed
// values, and axe checks the first of each key, which a look found anywhere on the page (the
// last row of a table, an even row of a striped one) gets checked too. What this cannot see is
// text drawn over something that is neither the element nor one of its ancestors (a sibling
// positioned underneath it); none is known on the app's pages. tests/e2e/test_axe_sampling.py shows
// that it still finds what axe over every element finds.
async (tags) => {
  const keys = new Map();
  const intern = (key) => {
    if (!keys.has(key)) keys.set(key, keys.size);
    return keys.get(key);
  };
  const CLEAR = ['rgba(0, 0, 0, 0)', 'none', '1', 'none', 'normal'].join('|');
  const backdrops = new Map();
  const backdrop = (element) => {
    if (!element) return -1;
    let id = backdrops.get(element);
    if (id === undefined) {
      const style = getComputedStyle(element);
      const own = [style.backgroundColor, style.backgroundImage, style.opacity, style.filter,
                   style.mixBlendMode].join('|');
      // An element that paints nothing and changes nothing leaves its parent's backdrop.
      id = own === CLEAR ? backdrop(element.parentElement)
                         : intern(`${backdrop(element.parentElement)}|${own}`);
      backdrops.set(element, id);
    }
    return id;
  };
  const hasText = (element) => Array.prototype.some.call(
    element.childNodes, (node) => node.nodeType === Node.TEXT_NODE && node.data.trim());
  const looks = new Set();
  for (const element of document.body.querySelectorAll('*')) {
    if (!hasText(element) && !element.matches('input, select, textarea')) continue;
    if (!element.checkVisibility({visibilityProperty: true}) || !element.getClientRects().length) {
      continue;
    }
    const style = getComputedStyle(element);
    const look = [backdrop(element), style.color, style.fontSize, style.fontWeight, style.textShadow,
                  style.webkitTextStrokeWidth, style.webkitTextStrokeColor].join('|');
    if (!looks.has(look)) {
      looks.add(look);
      element.setAttribute('data-axe-contrast-sample', '');
    }
  }
  axe.configure({rules: [{id: 'color-contrast', selector: '[data-axe-contrast-sample]'}]});
  // resultTypes: only the violations are wanted; axe then stops collecting every passing node.
  return await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                  resultTypes: ['violations']});
}
