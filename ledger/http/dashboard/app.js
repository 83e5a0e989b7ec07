// The dashboard of `likvard serve`: reads the statements, the dashboard routes and the table
// of labels (GET /v1/labels) from the API and fills index.html, Swedish by default. It shows
// the statements' own figures as their exact text, grouped for reading in the language's
// number format; the only figures it derives (per weighted listed citizen by component,
// monthly unfunded, differences, changes, the gap bridge's running sum) are computed exactly
// on the decimal text with BigInt, never with floating point. One function per view
// (show*), each drawing from the data loaded once, so a language switch re-renders them all
// without asking for the statements again. When everything is drawn it sets
// <body data-ready="true"> (or "error"), which tests/browser/dashboard_test.py waits for.
'use strict';

(function () {
  const defaults = { region: 'SE-Z', scheme: 'primary_care', year: '2022', lang: 'sv' };
  const colours = { region_run: '#1f5f8b', private: '#d9822b', appropriated: '#2e7d32', total: '#5f6b73' };
  const commitmentColours = ['#5c7cfa', '#15aabf', '#82c91e', '#fab005', '#e64980', '#7950f2', '#868e96'];

  // The neutrality statement's money columns in its order; sign -1: a deduction from net resources.
  const moneyColumns = [
    ['capitation', 1], ['variable', 1], ['supplementary', 1], ['other_compensation', 1],
    ['deficit_compensation', 1], ['overhead_compensation', 1], ['internal_charges', -1],
    ['shared_costs_paid', -1], ['benefit_in_kind', 1], ['commitment_costs', -1], ['appropriations', 1],
    ['services_sold', 1], ['services_bought', -1],
  ];
  const sides = ['region_run', 'private'];

  const state = { lang: defaults.lang, labels: {}, numbers: null, data: null, sort: null, explained: null };
  const charts = {};

  // ---- exact decimal arithmetic on the statements' text ----
  // Money is "-1234.56" (SEK with 2 decimals, so öre) and weighted listings "1234.5678"
  // (1/10,000 units). Both become BigInt integers in their smallest unit; nothing here goes
  // through a JavaScript number, whose binary fractions cannot hold öre exactly.

  // "-12.3" with scale 2 -> -1230n; more decimals than the scale is an error, never truncated.
  function scaled(text, scale) {
    const match = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(String(text));
    if (!match || (match[3] || '').length > scale) throw new Error('not a decimal with ' + scale + ' decimals: ' + text);
    const value = BigInt(match[2] + (match[3] || '').padEnd(scale, '0'));
    return match[1] === '-' ? -value : value;
  }

  // -1230n with scale 2 -> "-12.30"
  function decimalText(value, scale) {
    const negative = value < 0n;
    const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : digits.slice(0, -scale) + '.' + digits.slice(-scale);
    return negative ? '-' + text : text;
  }

  // A blank cell: null in the JSON, or "" where a summary figure cannot be computed.
  function blank(text) {
    return text === null || text === undefined || text === '';
  }

  function decimalsOf(text) {
    const dot = String(text).indexOf('.');
    return dot < 0 ? 0 : String(text).length - dot - 1;
  }

  // numerator / denominator (denominator > 0), rounded half away from zero.
  function divideRounded(numerator, denominator) {
    const magnitude = numerator < 0n ? -numerator : numerator;
    const quotient = (2n * magnitude + denominator) / (2n * denominator);
    return numerator < 0n ? -quotient : quotient;
  }

  // SEK per weighted listed citizen and year: öre × 12 × 10,000 / (months × weighted in
  // 1/10,000), rounded half away from zero to the öre (the statements' rule); null without listing.
  function perWeightedListed(moneyText, months, weightedText) {
    if (blank(moneyText) || blank(weightedText)) return null;
    const weighted = scaled(weightedText, 4);
    if (weighted <= 0n) return null;
    return decimalText(divideRounded(scaled(moneyText, 2) * 12n * 10000n, BigInt(months) * weighted), 2);
  }

  function negated(text) {
    return blank(text) ? null : decimalText(-scaled(text, 2), 2);
  }

  // a − b at the larger of their scales; null when either is blank.
  function difference(a, b) {
    if (blank(a) || blank(b)) return null;
    const scale = Math.max(decimalsOf(a), decimalsOf(b));
    return decimalText(scaled(a, scale) - scaled(b, scale), scale);
  }

  // (now − before) in percent of before, two decimals; null when before is 0 or blank.
  function changePercent(now, before) {
    if (blank(now) || blank(before)) return null;
    const scale = Math.max(decimalsOf(now), decimalsOf(before));
    const base = scaled(before, scale);
    if (base === 0n) return null;
    const change = (scaled(now, scale) - base) * 10000n;
    return decimalText(divideRounded(base < 0n ? -change : change, base < 0n ? -base : base), 2);
  }

  // Sorting order of two decimal texts; blanks last.
  function compareDecimals(a, b) {
    if (blank(a)) return blank(b) ? 0 : 1;
    if (blank(b)) return -1;
    const scale = Math.max(decimalsOf(a), decimalsOf(b));
    const x = scaled(a, scale), y = scaled(b, scale);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  // A chart's bar length only: the figure itself is shown as text.
  function barLength(text) {
    return blank(text) ? null : Number(text);
  }

  // ---- words and numbers, from the one table of labels ----
  // The label of `key` with {placeholders} filled; the key itself when the table has none.
  function t(key, fill) {
    let text = Object.prototype.hasOwnProperty.call(state.labels, key) ? state.labels[key] : key;
    for (const [name, value] of Object.entries(fill || {})) text = text.split('{' + name + '}').join(String(value));
    return text;
  }

  function codeLabel(code) {
    return code === null || code === undefined ? '–' : t('value.' + code) === 'value.' + code ? code : t('value.' + code);
  }

  // "-1300000.5" -> "-1 300 000,5" (sv, no-break spaces) or "-1,300,000.5" (en): every digit kept.
  function shown(text) {
    if (text === null || text === undefined || text === '') return '–';
    const match = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(String(text));
    if (!match) return String(text);
    const grouped = match[2].replace(/\B(?=([0-9]{3})+$)/g, state.numbers.thousands_separator);
    return match[1] + grouped + (match[3] === undefined ? '' : state.numbers.decimal_sign + match[3]);
  }

  function shownPercent(text) {
    return blank(text) ? '–' : shown(text) + state.numbers.percent_sign;
  }

  // The sentence of the gap, as the statements' renderers write it (labels.cpp gap_in_words).
  function gapInWords(gap) {
    if (blank(gap)) return '–';
    const magnitude = gap.replace(/^-/, '');
    const key = /^[0.]*$/.test(magnitude) ? 'sentence.gap_none'
      : gap.startsWith('-') ? 'sentence.gap_favours_private' : 'sentence.gap_favours_region_run';
    return t(key, { amount: shown(magnitude) });
  }

  // ---- the API ----
  function token() {
    return document.getElementById('token').value.trim();
  }

  async function api(path, params) {
    const url = path + (params ? '?' + new URLSearchParams(params).toString() : '');
    const headers = { Accept: 'application/json' };
    if (token()) headers.Authorization = 'Bearer ' + token();
    const response = await fetch(url, { headers: headers, cache: 'no-store' });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const problem = await response.json();
        detail = (problem.title || '') + ': ' + (problem.detail || '') + (problem.parameter ? ' (' + problem.parameter + ')' : '');
      } catch (ignored) { /* not problem+json */ }
      if (response.status === 401 || response.status === 403) detail += ' ' + t('dashboard.needs_token');
      const error = new Error(url + ' → ' + response.status + ' ' + detail);
      error.status = response.status;
      throw error;
    }
    return response;
  }

  async function apiJson(path, params) {
    return (await api(path, params)).json();
  }

  // ---- the page ----
  function choice() {
    const year = document.getElementById('year').value;
    return {
      region: document.getElementById('region').value.trim(),
      scheme: document.getElementById('scheme').value,
      year: year,
      from: year + '-01',
      to: year + '-12',
    };
  }

  function regionPath(c) {
    return '/v1/regions/' + encodeURIComponent(c.region);
  }

  function element(tag, text, attributes) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    for (const [key, value] of Object.entries(attributes || {})) e.dataset[key] = value;
    return e;
  }

  function cell(row, text, attributes) {
    const td = element('td', text === null || text === undefined ? '–' : String(text), attributes);
    row.appendChild(td);
    return td;
  }

  // A figure: its exact text in data-value, grouped in the language for reading.
  function figureCell(row, text, attributes, percent) {
    const td = cell(row, percent ? shownPercent(text) : shown(text), attributes);
    if (!blank(text)) td.dataset.value = text;
    return td;
  }

  function setFigure(name, text, format) {
    for (const e of document.querySelectorAll('[data-figure="' + name + '"]')) {
      e.textContent = format ? format(text) : shown(text);
      if (!blank(text)) e.dataset.value = text;
    }
  }

  // A figure whose drill-down (the explain route) opens in the page when clicked.
  function explainable(td, statement, row, column) {
    if (td.dataset.value === undefined) return td;
    Object.assign(td.dataset, { explainStatement: statement, explainRow: row, explainColumn: column });
    td.classList.add('explainable');
    td.tabIndex = 0;
    td.setAttribute('role', 'button');
    return td;
  }

  function tableBody(id, headers) {
    const table = document.getElementById(id);
    const head = table.querySelector('thead');
    head.replaceChildren();
    const tr = head.insertRow();
    for (const text of headers) tr.appendChild(element('th', text));
    const body = table.querySelector('tbody');
    body.replaceChildren();
    return body;
  }

  function emptyRow(body, text, columns) {
    cell(body.insertRow(), text).colSpan = columns;
  }

  function drawChart(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
    charts[id] = new Chart(document.getElementById(id), config);
  }

  function exactTooltip(texts) {
    // texts[datasetIndex][dataIndex]: the figure as the page shows it
    return { callbacks: { label: (item) => item.dataset.label + ': ' + shown(texts[item.datasetIndex][item.dataIndex]) } };
  }

  function definitions(id, entries) {
    const list = document.getElementById(id);
    list.replaceChildren();
    for (const [key, text] of entries) {
      list.appendChild(element('dt', t('dashboard.' + key) === 'dashboard.' + key ? t(key) : t('dashboard.' + key)));
      const dd = element('dd', text === null || text === undefined ? '–' : String(text), { figure: key });
      if (text !== null && text !== undefined) dd.dataset.value = String(text);
      list.appendChild(dd);
    }
  }

  function subtotals(neutrality) {
    const out = {};
    for (const row of neutrality.tables.rows) if (row.row === 'subtotal') out[row.side] = row;
    return out;
  }

  // ---- the views ----
  function showWords() {
    document.documentElement.lang = state.lang;
    document.title = t('dashboard.title');
    for (const e of document.querySelectorAll('[data-label]')) e.textContent = t(e.dataset.label);
    for (const e of document.querySelectorAll('[data-label-placeholder]')) e.placeholder = t(e.dataset.labelPlaceholder);
    for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  }

  function showGap(neutrality) {
    const s = neutrality.summary;
    setFigure('neutrality_gap', s.neutrality_gap);
    document.getElementById('gap-unit').textContent = t('dashboard.gap_unit', { percent: shownPercent(s.neutrality_gap_percent_of_private) });
    setFigure('neutrality_gap_in_words', s.neutrality_gap, gapInWords);
    setFigure('neutrality_gap_favours', s.neutrality_gap_favours, codeLabel);
    document.getElementById('gap').dataset.favours = s.neutrality_gap_favours;
    const list = document.getElementById('gap-figures');
    list.replaceChildren();
    for (const key of ['net_per_weighted_listed_region_run', 'net_per_weighted_listed_private', 'neutrality_gap_percent_of_private',
      'neutrality_gap_excluding_deficit_compensation', 'neutrality_gap_assignment',
      'overhead_compensation_per_weighted_listed_private', 'internal_charges_per_weighted_listed_region_run']) {
      list.appendChild(element('dt', t(key)));
      const dd = element('dd', key.includes('percent') ? shownPercent(s[key]) : shown(s[key]), { figure: key });
      if (s[key] !== undefined && s[key] !== null) dd.dataset.value = s[key];
      list.appendChild(dd);
    }
    const p = neutrality.provenance;
    document.getElementById('provenance').textContent = t('dashboard.provenance', { seq: p.as_of_seq,
      events: shown(p.events_counted), from: p.from, to: p.to, hash: neutrality.content_hash.slice(0, 16) });
  }

  // Links to the printable report and the workbook of either statement, in the page's language.
  function showDownloads(c, asOf) {
    const box = document.getElementById('downloads');
    box.replaceChildren(element('span', t('dashboard.reports') + ' '));
    for (const statement of ['neutrality', 'commitments']) {
      box.appendChild(element('span', t('statement.' + statement) + ': ', {}));
      for (const format of ['pdf', 'xlsx']) {
        const params = { scheme: c.scheme, from: c.from, to: c.to, as_of: asOf, format: format, lang: state.lang };
        const link = element('a', t('dashboard.' + format), { report: statement, format: format });
        link.href = regionPath(c) + '/statements/' + statement + '?' + new URLSearchParams(params).toString();
        link.download = statement + '-' + c.region + '-' + c.scheme + '-' + c.year + '-' + state.lang + '.' + format;
        box.appendChild(link);
        box.appendChild(document.createTextNode(' '));
      }
    }
  }

  // The gap bridge as a waterfall: each column's part from the running sum before it, then the gap.
  function showBridge(neutrality) {
    const s = neutrality.summary;
    const body = tableBody('table-bridge', [t('dashboard.component'), t('amount')]);
    if (blank(s.neutrality_gap) || blank(s.gap_bridge_rounding) || moneyColumns.some(([key]) => blank(s['gap_bridge_' + key]))) {
      emptyRow(body, t('neutrality_gap_not_computed'), 2);
      drawChart('chart-bridge', { type: 'bar', data: { labels: [], datasets: [] } });
      return;
    }
    const parts = moneyColumns.map(([key]) => [key, t(key), s['gap_bridge_' + key]])
      .concat([['rounding', t('gap_bridge_rounding'), s.gap_bridge_rounding]]);
    let running = 0n;
    const bars = [];
    for (const [key, label, value] of parts) {
      const start = running;
      running += scaled(value, 2);
      bars.push({ key: key, label: label, value: value, start: decimalText(start, 2), end: decimalText(running, 2) });
    }
    document.getElementById('bridge').dataset.sumsToGap = String(running === scaled(s.neutrality_gap, 2));
    bars.push({ key: 'neutrality_gap', label: t('neutrality_gap'), value: s.neutrality_gap, start: '0.00', end: s.neutrality_gap });
    for (const bar of bars) {
      const row = body.insertRow();
      if (bar.key === 'neutrality_gap') row.className = 'total';
      cell(row, bar.label);
      figureCell(row, bar.value, { figure: 'gap_bridge', part: bar.key });
    }
    const colour = (bar) => (bar.key === 'neutrality_gap' ? colours.total
      : scaled(bar.value, 2) >= 0n ? colours.region_run : colours.private);
    drawChart('chart-bridge', {
      type: 'bar',
      data: {
        labels: bars.map((b) => b.label),
        datasets: [{ label: t('amount'), data: bars.map((b) => [barLength(b.start), barLength(b.end)]),
          backgroundColor: bars.map(colour) }],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false },
          tooltip: { callbacks: { label: (item) => shown(bars[item.dataIndex].value) + ' ' + t('dashboard.sek') } } },
        scales: { x: { title: { display: true, text: t('dashboard.per_weighted_listed_axis') } } },
      },
    });
  }

  // Every provider with its side's average beside it; sortable by each column (state.sort).
  function providerRows(neutrality) {
    const subtotal = subtotals(neutrality);
    return neutrality.tables.rows.filter((r) => r.row === 'party' && r.kind === 'provider').map((r) => ({
      party_id: r.party_id, name: r.name, side: r.side, listed_avg: r.listed_avg,
      weighted_listed_avg: r.weighted_listed_avg, net_per_weighted_listed: r.net_per_weighted_listed,
      difference: difference(r.net_per_weighted_listed, subtotal[r.side] ? subtotal[r.side].net_per_weighted_listed : null),
    }));
  }

  const providerColumns = [
    { key: 'name', text: true }, { key: 'side', text: true }, { key: 'listed_avg' }, { key: 'weighted_listed_avg' },
    { key: 'net_per_weighted_listed' }, { key: 'difference', label: 'dashboard.difference_from_side' },
  ];

  function sortedProviders(rows) {
    if (!state.sort) return rows;
    const column = providerColumns.find((c) => c.key === state.sort.key);
    const collator = new Intl.Collator(state.lang);
    const textOf = (r) => (column.key === 'side' ? codeLabel(r.side) : r[column.key]);
    const order = (a, b) => (column.text ? collator.compare(textOf(a), textOf(b)) : compareDecimals(a[column.key], b[column.key]));
    const sorted = rows.slice().sort((a, b) => {
      const blank = (r) => r[column.key] === null || r[column.key] === undefined;
      if (blank(a) || blank(b)) return order(a, b);  // blanks last either way
      return state.sort.descending ? -order(a, b) : order(a, b);
    });
    return sorted;
  }

  function showProviders(neutrality) {
    const table = document.getElementById('table-providers');
    const head = table.querySelector('thead');
    head.replaceChildren();
    const tr = head.insertRow();
    for (const column of providerColumns) {
      const th = element('th', undefined, { column: column.key });
      const sorted = state.sort && state.sort.key === column.key;
      th.setAttribute('aria-sort', sorted ? (state.sort.descending ? 'descending' : 'ascending') : 'none');
      const button = element('button', t(column.label || column.key), { sort: column.key });
      button.type = 'button';
      th.appendChild(button);
      tr.appendChild(th);
    }
    const body = table.querySelector('tbody');
    body.replaceChildren();
    for (const r of sortedProviders(providerRows(neutrality))) {
      const row = body.insertRow();
      row.dataset.party = r.party_id;
      cell(row, r.name, { column: 'name' });
      cell(row, codeLabel(r.side), { column: 'side' });
      for (const key of ['listed_avg', 'weighted_listed_avg', 'net_per_weighted_listed']) {
        explainable(figureCell(row, r[key], { figure: 'provider_' + key, party: r.party_id, column: key }), 'neutrality', r.party_id, key);
      }
      figureCell(row, r.difference, { figure: 'provider_difference', party: r.party_id, column: 'difference' });
    }
  }

  function sortProviders(key) {
    const same = state.sort && state.sort.key === key;
    const column = providerColumns.find((c) => c.key === key);
    state.sort = { key: key, descending: same ? !state.sort.descending : !column.text };
    showProviders(state.data.neutrality);
  }

  function budgetRowName(neutrality, r) {
    if (r.row === 'party') {
      const party = neutrality.tables.rows.find((p) => p.row === 'party' && p.party_id === r.party_id);
      return party ? party.name : r.party_id;
    }
    return r.row === 'subtotal' ? codeLabel(r.side) : t('value.total');
  }

  function showBudget(neutrality, commitments) {
    const body = tableBody('table-budget', [t('line'), t('row'), t('budget'), t('outcome'), t('deviation'), t('deviation_percent')]);
    const rows = neutrality.tables.budget || [];
    const commitmentRows = commitments.tables.budget || [];
    for (const r of rows) {
      const row = body.insertRow();
      if (r.row !== 'party') row.className = r.row;
      cell(row, t(r.line));
      cell(row, budgetRowName(neutrality, r));
      const key = { line: r.line, row: r.row === 'party' ? r.party_id : r.row === 'subtotal' ? 'subtotal:' + r.side : 'total' };
      figureCell(row, r.budget, Object.assign({ figure: 'budget' }, key));
      explainable(figureCell(row, r.outcome, Object.assign({ figure: 'outcome' }, key)), 'neutrality', key.row, r.line);
      figureCell(row, r.deviation, Object.assign({ figure: 'deviation' }, key));
      figureCell(row, r.deviation_percent, Object.assign({ figure: 'deviation_percent' }, key), true);
    }
    for (const r of commitmentRows) {
      const row = body.insertRow();
      const value = r.line === 'total' ? 'commitment.total' : r.line.replace(/^commitment:/, '');
      const key = { line: r.line, row: 'commitments' };
      cell(row, codeLabel(value));
      cell(row, t('statement.commitments'));
      figureCell(row, r.budget, Object.assign({ figure: 'budget' }, key));
      explainable(figureCell(row, r.outcome, Object.assign({ figure: 'outcome' }, key)), 'commitments', r.line, 'cost');
      figureCell(row, r.deviation, Object.assign({ figure: 'deviation' }, key));
      figureCell(row, r.deviation_percent, Object.assign({ figure: 'deviation_percent' }, key), true);
    }
    if (rows.length + commitmentRows.length === 0) emptyRow(body, t('dashboard.no_budget'), 6);
    const charted = rows.filter((r) => r.row !== 'party');
    const texts = [charted.map((r) => r.budget), charted.map((r) => r.outcome)];
    drawChart('chart-budget', {
      type: 'bar',
      data: {
        labels: charted.map((r) => t(r.line) + ', ' + budgetRowName(neutrality, r)),
        datasets: [
          { label: t('budget'), data: texts[0].map(barLength), backgroundColor: colours.total },
          { label: t('outcome'), data: texts[1].map(barLength), backgroundColor: colours.region_run },
        ],
      },
      options: { plugins: { tooltip: exactTooltip(texts) }, scales: { y: { title: { display: true, text: t('dashboard.sek') } } } },
    });
  }

  // The same months one year earlier, as a statement of its own, with the change.
  function previousFigures(neutrality) {
    const subtotal = subtotals(neutrality);
    const total = neutrality.tables.rows.find((r) => r.row === 'total') || {};
    const side = (s, key) => (subtotal[s] ? subtotal[s][key] : null);
    return [
      ['net_per_weighted_listed_region_run', neutrality.summary.net_per_weighted_listed_region_run],
      ['net_per_weighted_listed_private', neutrality.summary.net_per_weighted_listed_private],
      ['neutrality_gap', neutrality.summary.neutrality_gap],
      ['net_resources.region_run', side('region_run', 'net_resources')],
      ['net_resources.private', side('private', 'net_resources')],
      ['weighted_listed_avg.region_run', side('region_run', 'weighted_listed_avg')],
      ['weighted_listed_avg.private', side('private', 'weighted_listed_avg')],
      ['capitation.total', total.capitation],
      ['net_resources.total', total.net_resources],
    ];
  }

  function previousLabel(key) {
    const [column, where] = key.split('.');
    if (!where) return t(column);
    return t(column) + ', ' + (where === 'total' ? t('value.total') : codeLabel(where));
  }

  function showPrevious(neutrality, previous, c) {
    const before = { from: (Number(c.year) - 1) + '-01', to: (Number(c.year) - 1) + '-12' };
    const note = document.getElementById('previous-note');
    const body = tableBody('table-previous', [t('figure'), t('dashboard.previous_year') + ' ' + (Number(c.year) - 1),
      t('dashboard.this_year') + ' ' + c.year, t('dashboard.change'), t('dashboard.change_percent')]);
    if (previous === null) {
      note.textContent = t('dashboard.no_previous_year', { region: c.region, scheme: codeLabel(c.scheme), from: before.from, to: before.to });
      note.dataset.previous = 'none';
      emptyRow(body, note.textContent, 5);
      return;
    }
    note.textContent = t('dashboard.previous_note', before);
    note.dataset.previous = 'shown';
    const earlier = Object.fromEntries(previousFigures(previous));
    for (const [key, now] of previousFigures(neutrality)) {
      const row = body.insertRow();
      cell(row, previousLabel(key));
      figureCell(row, earlier[key], { figure: 'previous', key: key });
      figureCell(row, now, { figure: 'current', key: key });
      figureCell(row, difference(now, earlier[key]), { figure: 'change', key: key });
      figureCell(row, changePercent(now, earlier[key]), { figure: 'change_percent', key: key }, true);
    }
  }

  // The comparison of regions (GET /v1/statements/comparison): per region its sides' listings and
  // net resources per weighted listed, the gap, the private side's overhead compensation against
  // the region-run side's internal charges and the special commitments, each per weighted listed,
  // and the seq the region was read at. Each cell is the statement's own text.
  const comparisonColumns = [
    ['listed_avg', 'region_run'], ['weighted_listed_avg', 'region_run'], ['net_per_weighted_listed', 'region_run'],
    ['listed_avg', 'private'], ['weighted_listed_avg', 'private'], ['net_per_weighted_listed', 'private'],
    ['neutrality_gap', null], ['overhead_compensation_per_weighted_listed', 'private'],
    ['internal_charges_per_weighted_listed', 'region_run'], ['commitment_costs_per_weighted_listed_region_run', null],
  ];

  function comparisonHeader(key, side) {
    if (side === null) return t(key);
    const own = t(key + '_' + side);
    return own !== key + '_' + side ? own : t(key) + ', ' + codeLabel(side);
  }

  function comparisonRows(comparison) {
    const tables = comparison.tables;
    return tables.regions.map((r) => {
      const figures = { as_of_seq: r.as_of_seq };
      for (const s of tables.sides.filter((s) => s.region === r.region)) {
        for (const [key, side] of comparisonColumns) if (side === s.side) figures[key + '.' + side] = s[key];
      }
      const gaps = tables.gaps.find((g) => g.region === r.region) || {};
      for (const [key, side] of comparisonColumns) if (side === null) figures[key] = gaps[key];
      return { region: r.region, figures: figures };
    });
  }

  function showComparison(comparison, c) {
    const keys = comparisonColumns.map(([key, side]) => (side === null ? key : key + '.' + side));
    const body = tableBody('table-comparison', [t('region'), t('as_of_seq')]
      .concat(comparisonColumns.map(([key, side]) => comparisonHeader(key, side))));
    const rows = comparison ? comparisonRows(comparison) : [];
    const note = document.getElementById('comparison-regions');
    const fill = { region: rows.length ? rows[0].region : c.region, scheme: codeLabel(c.scheme), year: c.year };
    note.textContent = rows.length === 0 ? t('dashboard.comparison_none', fill)
      : rows.length === 1 ? t('dashboard.comparison_one_region', fill) : '';
    note.dataset.regions = String(rows.length);
    for (const r of rows) {
      const row = body.insertRow();
      row.dataset.region = r.region;
      cell(row, r.region);
      figureCell(row, r.figures.as_of_seq, { figure: 'comparison', region: r.region, key: 'as_of_seq' });
      for (const key of keys) figureCell(row, r.figures[key], { figure: 'comparison', region: r.region, key: key });
    }
    if (rows.length === 0) emptyRow(body, note.textContent, keys.length + 2);
    const texts = [rows.map((r) => r.figures.neutrality_gap)];
    drawChart('chart-comparison', {
      type: 'bar',
      data: { labels: rows.map((r) => r.region), datasets: [{ label: t('neutrality_gap'), data: texts[0].map(barLength),
        backgroundColor: texts[0].map((g) => (!blank(g) && g.startsWith('-') ? colours.private : colours.region_run)),
      }] },
      options: {
        plugins: { legend: { display: false }, tooltip: exactTooltip(texts) },
        scales: { y: { title: { display: true, text: t('dashboard.per_weighted_listed_axis') } } },
      },
    });
  }

  // Per weighted listed citizen by component, from the two subtotal rows.
  function resourcesBySide(neutrality) {
    const months = Number(neutrality.provenance.months);
    const subtotal = subtotals(neutrality);
    const figures = moneyColumns.map(([key, sign]) => {
      const values = sides.map((side) => {
        const row = subtotal[side];
        const value = row ? perWeightedListed(row[key], months, row.weighted_listed_avg) : null;
        return sign < 0 ? negated(value) : value;
      });
      return { key: key, label: sign < 0 ? t('dashboard.deducted', { label: t(key) }) : t(key), values: values };
    });
    figures.push({ key: 'net_resources', label: t('net_per_weighted_listed'),
      values: sides.map((side) => (subtotal[side] ? subtotal[side].net_per_weighted_listed : null)) });
    return { figures: figures, subtotal: subtotal };
  }

  function showResources(neutrality) {
    const r = resourcesBySide(neutrality);
    const body = tableBody('table-resources', [t('dashboard.component'), codeLabel('region_run'), codeLabel('private')]);
    const weightedRow = body.insertRow();
    weightedRow.className = 'weighted';
    cell(weightedRow, t('weighted_listed_avg'));
    for (const side of sides) {
      explainable(figureCell(weightedRow, r.subtotal[side] ? r.subtotal[side].weighted_listed_avg : null,
        { figure: 'weighted_listed_avg', side: side }), 'neutrality', 'subtotal:' + side, 'weighted_listed_avg');
    }
    for (const f of r.figures) {
      const row = body.insertRow();
      if (f.key === 'net_resources') row.className = 'total';
      cell(row, f.label);
      f.values.forEach((value, i) => figureCell(row, value, { figure: 'per_weighted_listed', component: f.key, side: sides[i] }));
    }
    const texts = sides.map((side, i) => r.figures.map((f) => f.values[i]));
    drawChart('chart-resources', {
      type: 'bar',
      data: {
        labels: r.figures.map((f) => f.label),
        datasets: sides.map((side, i) => ({ label: codeLabel(side), data: texts[i].map(barLength), backgroundColor: colours[side] })),
      },
      options: {
        indexAxis: 'y',
        plugins: { tooltip: exactTooltip(texts) },
        scales: { x: { title: { display: true, text: t('dashboard.per_weighted_listed_axis') } } },
      },
    });
  }

  function showCrossSubsidies(neutrality) {
    const rows = neutrality.tables.cross_subsidies;
    const body = tableBody('table-cross', [t('service'), t('region_run_to_private'), t('share_of_region_run_paid_percent'),
      t('private_to_region_run'), t('share_of_private_paid_percent')]);
    for (const s of rows) {
      const row = body.insertRow();
      cell(row, codeLabel(s.service));
      figureCell(row, s.region_run_to_private, { figure: 'region_run_to_private', service: s.service });
      figureCell(row, s.share_of_region_run_paid_percent, { figure: 'share_of_region_run_paid_percent', service: s.service }, true);
      figureCell(row, s.private_to_region_run, { figure: 'private_to_region_run', service: s.service });
      figureCell(row, s.share_of_private_paid_percent, { figure: 'share_of_private_paid_percent', service: s.service }, true);
    }
    if (rows.length === 0) emptyRow(body, t('dashboard.no_shared_costs'), 5);
    const texts = [rows.map((s) => s.region_run_to_private), rows.map((s) => s.private_to_region_run)];
    drawChart('chart-cross', {
      type: 'bar',
      data: {
        labels: rows.map((s) => codeLabel(s.service)),
        datasets: [
          { label: t('region_run_to_private'), data: texts[0].map(barLength), backgroundColor: colours.region_run },
          { label: t('private_to_region_run'), data: texts[1].map(barLength), backgroundColor: colours.private },
        ],
      },
      options: { plugins: { tooltip: exactTooltip(texts) }, scales: { y: { title: { display: true, text: t('dashboard.sek') } } } },
    });
  }

  function showCommitmentMonths(total, monthly) {
    const body = tableBody('table-commitments-monthly', [t('dashboard.month'), t('cost'), t('appropriated'), t('unfunded')]);
    for (const m of monthly.months) {
      const row = body.insertRow();
      const cost = total ? total['cost_' + m.period] : '0.00';
      cell(row, m.period);
      explainable(figureCell(row, cost, { figure: 'commitment_cost', period: m.period }), 'commitments', 'total', 'cost_' + m.period);
      figureCell(row, m.appropriated, { figure: 'commitment_appropriated', period: m.period });
      figureCell(row, difference(cost, m.appropriated), { figure: 'commitment_unfunded', period: m.period });
    }
  }

  function showCommitmentTable(rows) {
    const columns = ['cost', 'fte', 'appropriated', 'unfunded', 'share_of_total_percent', 'decision_refs'];
    const body = tableBody('table-commitments', [t('commitment')].concat(columns.map((c) => t(c))));
    for (const c of rows) {
      const row = body.insertRow();
      const name = c.commitment === 'total' ? 'total' : 'commitment:' + c.commitment;
      if (c.commitment === 'total') row.className = 'total';
      cell(row, codeLabel(c.commitment === 'total' ? 'commitment.total' : c.commitment));
      for (const column of columns) {
        const attributes = { figure: 'commitment_' + column, commitment: c.commitment };
        const td = column === 'decision_refs' ? cell(row, c[column] || '–', attributes)
          : figureCell(row, c[column], attributes, column === 'share_of_total_percent');
        if (column === 'decision_refs' && c[column]) td.dataset.value = c[column];
        if (!(column === 'fte' && c.commitment === 'total')) explainable(td, 'commitments', name, column);
      }
    }
  }

  function showCommitments(commitments, monthly) {
    const rows = commitments.tables.commitments;
    const total = rows.find((row) => row.commitment === 'total');
    const carried = rows.filter((row) => row.commitment !== 'total' && !blank(row.cost) && scaled(row.cost, 2) !== 0n);
    const months = monthly.months.map((m) => m.period);
    showCommitmentMonths(total, monthly);
    showCommitmentTable(rows);
    const summary = commitments.summary;
    const p = document.getElementById('total-unfunded');
    p.textContent = t('dashboard.total_unfunded', { amount: shown(summary.total_unfunded),
      per_capita: shown(summary.total_unfunded_per_weighted_listed_region_run) });
    p.dataset.figure = 'total_unfunded';
    p.dataset.value = summary.total_unfunded;
    const texts = carried.map((c) => months.map((month) => c['cost_' + month]));
    texts.push(monthly.months.map((m) => m.appropriated));
    const datasets = carried.map((c, i) => ({
      type: 'bar', label: codeLabel(c.commitment), data: texts[i].map(barLength), stack: 'cost',
      backgroundColor: commitmentColours[i % commitmentColours.length],
    }));
    datasets.push({ type: 'bar', label: t('appropriated'), data: texts[texts.length - 1].map(barLength), stack: 'appropriated',
      backgroundColor: colours.appropriated });
    drawChart('chart-commitments', {
      data: { labels: months, datasets: datasets },
      options: {
        plugins: { tooltip: exactTooltip(texts) },
        scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: t('dashboard.sek') } } },
      },
    });
  }

  // What the server knows of Kafka (/ingestion's kafka): the lag is the brokers' high
  // watermark minus the ledger's next offset, so it exists only while the brokers answer.
  function showKafka(kafka) {
    const body = tableBody('table-kafka', ['consumer_group', 'topic', 'partition', 'offset_next', 'high_watermark', 'kafka_lag']
      .map((key) => t('dashboard.' + key)));
    for (const p of kafka.partitions) {
      const row = body.insertRow();
      const key = p.consumer_group + '/' + p.topic + '/' + p.partition;
      cell(row, p.consumer_group);
      cell(row, p.topic);
      cell(row, p.partition);
      figureCell(row, p.offset_next, { figure: 'offset_next', partition: key });
      figureCell(row, p.high_watermark, { figure: 'high_watermark', partition: key });
      figureCell(row, p.lag, { figure: 'kafka_lag', partition: key });
    }
    if (kafka.partitions.length === 0) emptyRow(body, t('dashboard.no_kafka_offsets'), 6);
    document.getElementById('ingestion').dataset.broker = kafka.broker;
  }

  function showIngestion(ingestion) {
    const kafka = ingestion.kafka;
    const lags = kafka.partitions.map((p) => p.lag).filter((lag) => lag !== null);
    definitions('ingestion-figures', [
      ['head_seq', ingestion.head_seq], ['head_recorded_at', ingestion.head_recorded_at],
      ['projected_seq', ingestion.projected_seq], ['projection_lag', ingestion.projection_lag],
      ['kafka_broker', t('dashboard.broker.' + kafka.broker)],
      ['kafka_lag_total', kafka.broker === 'up' ? lags.reduce((sum, lag) => sum + lag, 0) : null],
    ]);
    document.getElementById('ingestion').dataset.lagging = String((ingestion.projection_lag || 0) > 0);
    const body = tableBody('table-rejections', [t('dashboard.rejections'), t('dashboard.count'), t('dashboard.last_received')]);
    const rows = ingestion.rejections_by_reason.map((r) => [r, r.reason])
      .concat(ingestion.rejections_without_region_by_reason.map((r) => [r, t('dashboard.no_region_recorded', { reason: r.reason })]));
    for (const [r, label] of rows) {
      const row = body.insertRow();
      cell(row, label);
      figureCell(row, r.rejections, { figure: 'rejections', reason: r.reason });
      cell(row, r.last_received_at);
    }
    if (rows.length === 0) emptyRow(body, t('dashboard.no_rejections'), 3);
    showKafka(kafka);
  }

  // ---- the drill-down of one figure, in a dialog ----
  function linesTable(title, headers, rows, sum) {
    const box = document.createElement('div');
    box.appendChild(element('h3', title));
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const text of headers) head.appendChild(element('th', text));
    const body = table.createTBody();
    for (const fill of rows) fill(body.insertRow());
    if (sum) {
      const row = body.insertRow();
      row.className = 'total';
      sum(row);
    }
    box.appendChild(table);
    return box;
  }

  function postingLines(e) {
    return linesTable(t('dashboard.postings') + ' (' + e.postings.length + ')',
      [t('dashboard.seq'), t('dashboard.event_type'), t('dashboard.period'), t('dashboard.source'), t('decision_refs'),
        t('dashboard.account'), t('amount')],
      e.postings.map((p) => (row) => {
        cell(row, p.seq);
        cell(row, p.type);
        cell(row, p.period);
        cell(row, p.source_system + ' ' + p.source_reference);
        cell(row, p.decision_ref);
        cell(row, p.account);
        figureCell(row, p.amount, { figure: 'explain_amount', seq: p.seq });
      }),
      (row) => {
        cell(row, t('dashboard.sum')).colSpan = 6;
        figureCell(row, e.postings_sum, { figure: 'explain_sum' });
      });
  }

  function listingLines(e) {
    return linesTable(t('dashboard.listings') + ' (' + e.listings.length + ')',
      [t('dashboard.seq'), t('dashboard.period'), t('party_id'), t('value.listed'), t('value.weighted_listed')],
      e.listings.map((l) => (row) => {
        cell(row, l.seq);
        cell(row, l.period);
        cell(row, l.provider_id);
        figureCell(row, l.listed, { figure: 'explain_listed' });
        figureCell(row, l.weighted_listed, { figure: 'explain_weighted_listed' });
      }),
      (row) => {
        cell(row, t('dashboard.sum')).colSpan = 3;
        figureCell(row, e.listed_sum, { figure: 'explain_listed_sum' });
        figureCell(row, e.weighted_listed_sum, { figure: 'explain_weighted_listed_sum' });
      });
  }

  function eventLines(e) {
    return linesTable(t('dashboard.events') + ' (' + e.events.length + ')',
      [t('dashboard.seq'), t('dashboard.event_type'), t('dashboard.period'), t('dashboard.source'), t('decision_refs'),
        t('dashboard.reverses'), t('commitment'), t('fte')],
      e.events.map((v) => (row) => {
        cell(row, v.seq);
        cell(row, v.type);
        cell(row, v.period);
        cell(row, v.source_system + ' ' + v.source_reference);
        cell(row, v.decision_ref);
        cell(row, v.reverses);
        cell(row, v.commitment === null ? null : codeLabel(v.commitment));
        figureCell(row, v.fte, { figure: 'explain_fte', seq: v.seq });
      }),
      e.fte_sum === undefined ? null : (row) => {
        cell(row, t('dashboard.sum')).colSpan = 7;
        figureCell(row, e.fte_sum, { figure: 'explain_fte_sum' });
      });
  }

  function showExplanation(e) {
    const isPercent = e.computed_as === 'share_of_total';
    document.getElementById('explain-figure').textContent = t(e.column) + ', ' + e.row + ': ' +
      (isPercent ? shownPercent(e.figure) : shown(e.figure));
    const figure = document.getElementById('explain-figure');
    if (e.figure !== null) figure.dataset.value = e.figure;
    document.getElementById('explain-how').textContent = t('dashboard.how.' + e.computed_as,
      { months: e.fte_months !== undefined ? e.fte_months : e.months, total: shown(e.total_sum) });
    const lines = document.getElementById('explain-lines');
    lines.replaceChildren();
    if (e.postings) lines.appendChild(postingLines(e));
    if (e.listings) lines.appendChild(listingLines(e));
    if (e.events) lines.appendChild(eventLines(e));
  }

  async function explain(target) {
    const c = choice();
    const d = target.dataset;
    const dialog = document.getElementById('explain');
    dialog.dataset.ready = 'false';
    const path = regionPath(c) + '/statements/' + d.explainStatement + '/figures/' + encodeURIComponent(d.explainRow) + '/' +
      encodeURIComponent(d.explainColumn);
    try {
      state.explained = await apiJson(path, { scheme: c.scheme, from: c.from, to: c.to,
        as_of: state.data.neutrality.provenance.as_of_seq });
      showExplanation(state.explained);
      if (!dialog.open) dialog.showModal();
      dialog.dataset.ready = 'true';
    } catch (error) {
      setStatus(String(error.message || error), 'error');
      dialog.dataset.ready = 'error';
    }
  }

  // ---- loading and language ----
  function setStatus(text, state_) {
    const status = document.getElementById('status');
    status.textContent = text;
    status.dataset.state = state_;
  }

  // Every view from the data loaded, in the language chosen.
  function render() {
    showWords();
    const d = state.data;
    if (!d) return;
    showGap(d.neutrality);
    showDownloads(d.choice, d.neutrality.provenance.as_of_seq);
    showBridge(d.neutrality);
    showProviders(d.neutrality);
    showBudget(d.neutrality, d.commitments);
    showPrevious(d.neutrality, d.previous, d.choice);
    showComparison(d.comparison, d.choice);
    showResources(d.neutrality);
    showCrossSubsidies(d.neutrality);
    showCommitments(d.commitments, d.monthly);
    showIngestion(d.ingestion);
    if (state.explained && document.getElementById('explain').open) showExplanation(state.explained);
    setStatus(t('dashboard.loaded', { region: d.choice.region, scheme: codeLabel(d.choice.scheme), from: d.choice.from,
      to: d.choice.to, seq: d.neutrality.provenance.as_of_seq }), 'ok');
  }

  // The earlier year's statement, or null when the ledger has no events in it.
  async function previousYear(c, params) {
    const year = String(Number(c.year) - 1);
    try {
      const previous = await apiJson(regionPath(c) + '/statements/neutrality', Object.assign({}, params, { from: year + '-01', to: year + '-12' }));
      return previous.provenance.events_counted === '0' ? null : previous;
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  // The comparison of the dashboard's scheme and year over every region that has it; null when none has.
  async function comparisonOfRegions(c) {
    try {
      const params = { scheme: c.scheme, year: c.year, format: 'json' };
      return await apiJson('/v1/statements/comparison', params);
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  async function load() {
    document.body.dataset.ready = 'false';
    const c = choice();
    const params = { scheme: c.scheme, from: c.from, to: c.to, format: 'json' };
    setStatus(t('dashboard.loading', { region: c.region, scheme: codeLabel(c.scheme), year: c.year }), 'loading');
    try {
      const [neutrality, commitments, monthly, ingestion, previous, comparison] = await Promise.all([
        apiJson(regionPath(c) + '/statements/neutrality', params),
        apiJson(regionPath(c) + '/statements/commitments', params),
        apiJson(regionPath(c) + '/commitments/monthly', { scheme: c.scheme, from: c.from, to: c.to }),
        apiJson(regionPath(c) + '/ingestion'),
        previousYear(c, params),
        comparisonOfRegions(c),
      ]);
      state.data = { choice: c, neutrality, commitments, monthly, ingestion, previous, comparison };
      render();
      // Charts draw synchronously (no animation); the next frame has them on screen.
      requestAnimationFrame(() => { document.body.dataset.ready = 'true'; });
    } catch (error) {
      setStatus(String(error.message || error), 'error');
      document.body.dataset.ready = 'error';
    }
  }

  async function setLanguage(lang) {
    const table = await apiJson('/v1/labels', { lang: lang });
    state.lang = table.lang;
    state.labels = table.labels;
    state.numbers = table.number_format;
  }

  function keepInAddress() {
    const c = choice();
    history.replaceState(null, '', '#' + new URLSearchParams({ region: c.region, scheme: c.scheme, year: c.year, lang: state.lang }).toString());
  }

  async function switchLanguage(lang) {
    document.body.dataset.ready = 'false';
    try {
      await setLanguage(lang);
      keepInAddress();
      render();
      requestAnimationFrame(() => { document.body.dataset.ready = state.data ? 'true' : 'error'; });
    } catch (error) {
      setStatus(String(error.message || error), 'error');
      document.body.dataset.ready = 'error';
    }
  }

  // With a token a link cannot carry it: fetch the report with it and save what came.
  async function download(link) {
    const blob = await (await api(link.pathname, Object.fromEntries(new URLSearchParams(link.search)))).blob();
    const saved = document.createElement('a');
    saved.href = URL.createObjectURL(blob);
    saved.download = link.download;
    saved.click();
    setTimeout(() => URL.revokeObjectURL(saved.href), 10000);
  }

  function listen() {
    document.getElementById('choice').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem('likvard-token', token());
      keepInAddress();
      load();
    });
    for (const button of document.querySelectorAll('[data-lang]')) {
      button.addEventListener('click', () => switchLanguage(button.dataset.lang));
    }
    document.addEventListener('click', (event) => {
      const sort = event.target.closest('[data-sort]');
      if (sort) return sortProviders(sort.dataset.sort);
      const figure = event.target.closest('.explainable');
      if (figure) return explain(figure);
      const report = event.target.closest('a[data-report]');
      if (report && token()) {
        event.preventDefault();
        download(report).catch((error) => setStatus(String(error.message || error), 'error'));
      }
      return undefined;
    });
    document.addEventListener('keydown', (event) => {
      const figure = event.target.closest && event.target.closest('.explainable');
      if (figure && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        explain(figure);
      }
    });
  }

  // The choice lives in the fragment (#region=SE-Z&scheme=primary_care&year=2022&lang=sv):
  // GET / takes no query parameters, and a bookmarked view reopens as it was.
  function fromAddress() {
    const params = new URLSearchParams(location.hash.slice(1));
    for (const name of ['region', 'scheme', 'year']) document.getElementById(name).value = params.get(name) || defaults[name];
    return params.get('lang') === 'en' ? 'en' : defaults.lang;
  }

  // The page opened, or its address changed (a bookmark, the back button): that choice.
  async function open() {
    document.body.dataset.ready = 'false';
    try {
      await setLanguage(fromAddress());
    } catch (error) {
      setStatus(String(error.message || error), 'error');
      document.body.dataset.ready = 'error';
      return;
    }
    showWords();
    if (typeof Chart === 'undefined') {
      setStatus(t('dashboard.chart_missing'), 'error');
      document.body.dataset.ready = 'error';
      return;
    }
    load();
  }

  function start() {
    document.getElementById('token').value = sessionStorage.getItem('likvard-token') || '';
    listen();
    window.addEventListener('hashchange', open);
    open();
  }

  start();
})();
