// The dashboard of `likvard serve`: reads the statements and two dashboard routes from the
// API and fills index.html. It shows the statements' own figures as text; the only figures
// it derives (per weighted listed citizen by component, monthly unfunded) are computed
// exactly on the decimal text, never with floating point. When everything is drawn it sets
// <body data-ready="true"> (or "error"), which tests/browser/dashboard_test.py waits for.
'use strict';

(function () {
  const defaults = { region: 'SE-Z', scheme: 'primary_care', year: '2022' };
  const colours = { region_run: '#1f5f8b', private: '#d9822b', appropriated: '#2e7d32' };
  const commitmentColours = ['#5c7cfa', '#15aabf', '#82c91e', '#fab005', '#e64980', '#7950f2', '#868e96'];

  // The neutrality statement's money columns; sign -1: a deduction from net resources.
  const components = [
    ['capitation', 'capitation', 1],
    ['variable', 'variable payments', 1],
    ['supplementary', 'supplementary payments', 1],
    ['other_compensation', 'other compensation (target, sparsity, visits)', 1],
    ['deficit_compensation', 'deficit compensation', 1],
    ['overhead_compensation', 'overhead compensation', 1],
    ['benefit_in_kind', 'benefit in kind (shared costs)', 1],
    ['appropriations', 'appropriations', 1],
    ['services_sold', 'services sold', 1],
    ['internal_charges', 'internal charges (deducted)', -1],
    ['shared_costs_paid', 'shared costs paid (deducted)', -1],
    ['commitment_costs', 'commitment costs (deducted)', -1],
    ['services_bought', 'services bought (deducted)', -1],
  ];

  const charts = {};

  // ---- exact decimal arithmetic on the statements' text ----
  // Money is "-1234.56" (SEK with 2 decimals, so öre) and weighted listings "1234.5678"
  // (1/10,000 units). Both become BigInt integers in their smallest unit; nothing here goes
  // through a JavaScript number, whose binary fractions cannot hold öre exactly.

  // "−12.3" with scale 2 -> -1230n; more decimals than the scale is an error, never truncated.
  function scaled(text, scale) {
    const match = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(String(text));
    if (!match || (match[3] || '').length > scale) throw new Error('not a decimal with ' + scale + ' decimals: ' + text);
    const digits = match[2] + (match[3] || '').padEnd(scale, '0');
    const value = BigInt(digits);
    return match[1] === '-' ? -value : value;
  }

  // -1230n with scale 2 -> "-12.30"
  function decimalText(value, scale) {
    const negative = value < 0n;
    const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : digits.slice(0, -scale) + '.' + digits.slice(-scale);
    return negative ? '-' + text : text;
  }

  // numerator / denominator (denominator > 0), rounded half away from zero.
  function divideRounded(numerator, denominator) {
    const magnitude = numerator < 0n ? -numerator : numerator;
    const quotient = (2n * magnitude + denominator) / (2n * denominator);
    return numerator < 0n ? -quotient : quotient;
  }

  // SEK per weighted listed citizen and year: money × 12 / months / weighted_listed_avg,
  // i.e. öre × 12 × 10,000 / (months × weighted in 1/10,000), rounded half away from zero
  // to the öre (the statements' rule). null where the side has no listing.
  function perWeightedListed(moneyText, months, weightedText) {
    const weighted = scaled(weightedText, 4);
    if (weighted <= 0n) return null;
    const ore = scaled(moneyText, 2);
    return decimalText(divideRounded(ore * 12n * 10000n, BigInt(months) * weighted), 2);
  }

  function negated(text) {
    return text === null ? null : decimalText(-scaled(text, 2), 2);
  }

  function difference(a, b) {
    return decimalText(scaled(a, 2) - scaled(b, 2), 2);
  }

  // A chart's bar length only: the figure itself is shown as text.
  function barLength(text) {
    return text === null ? null : Number(text);
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
      if (response.status === 401 || response.status === 403) detail += ' (enter a token with the reader role)';
      throw new Error(url + ' answered ' + response.status + ' ' + detail);
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

  function setFigure(name, text) {
    for (const element of document.querySelectorAll('[data-figure="' + name + '"]')) {
      element.textContent = text === null || text === undefined ? '–' : String(text);
    }
  }

  function cell(row, text, attributes) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '–' : String(text);
    for (const [key, value] of Object.entries(attributes || {})) td.dataset[key] = value;
    row.appendChild(td);
    return td;
  }

  function tableBody(id) {
    const body = document.querySelector('#' + id + ' tbody');
    body.replaceChildren();
    return body;
  }

  function drawChart(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
    charts[id] = new Chart(document.getElementById(id), config);
  }

  function exactTooltip(texts) {
    // texts[datasetIndex][dataIndex]: the figure as the page shows it
    return {
      callbacks: {
        label: (item) => item.dataset.label + ': ' + texts[item.datasetIndex][item.dataIndex] + ' SEK',
      },
    };
  }

  function showGap(neutrality) {
    const summary = neutrality.summary;
    for (const name of ['neutrality_gap', 'neutrality_gap_percent_of_private', 'neutrality_gap_in_words', 'neutrality_gap_favours',
      'net_per_weighted_listed_region_run', 'net_per_weighted_listed_private', 'neutrality_gap_excluding_deficit_compensation',
      'neutrality_gap_in_words_excluding_deficit_compensation', 'overhead_compensation_per_weighted_listed_private',
      'internal_charges_per_weighted_listed_region_run']) {
      setFigure(name, summary[name]);
    }
    document.getElementById('gap').dataset.favours = summary.neutrality_gap_favours;
    const p = neutrality.provenance;
    document.getElementById('provenance').textContent = 'Statement as of ledger seq ' + p.as_of_seq + ' (' + p.events_counted +
      ' events counted, months ' + p.from + ' to ' + p.to + '), content hash ' + neutrality.content_hash.slice(0, 16) + '…';
  }

  // Per weighted listed citizen by component, from the two subtotal rows.
  function resourcesBySide(neutrality) {
    const months = Number(neutrality.provenance.months);
    const subtotal = {};
    for (const row of neutrality.tables.rows) {
      if (row.row === 'subtotal') subtotal[row.side] = row;
    }
    const sides = ['region_run', 'private'];
    const figures = components.map(([key, label, sign]) => {
      const values = sides.map((side) => {
        const row = subtotal[side];
        const value = row ? perWeightedListed(row[key], months, row.weighted_listed_avg) : null;
        return sign < 0 ? negated(value) : value;
      });
      return { key: key, label: label, values: values };
    });
    figures.push({ key: 'net_resources', label: 'net resources (statement)',
      values: sides.map((side) => (subtotal[side] ? subtotal[side].net_per_weighted_listed : null)) });
    return { sides: sides, figures: figures, subtotal: subtotal };
  }

  function showResources(neutrality) {
    const r = resourcesBySide(neutrality);
    const body = tableBody('table-resources');
    const weightedRow = document.createElement('tr');
    weightedRow.className = 'weighted';
    cell(weightedRow, 'average weighted listed citizens');
    for (const side of r.sides) {
      cell(weightedRow, r.subtotal[side] ? r.subtotal[side].weighted_listed_avg : null, { figure: 'weighted_listed_avg', side: side });
    }
    body.appendChild(weightedRow);
    for (const f of r.figures) {
      const row = document.createElement('tr');
      if (f.key === 'net_resources') row.className = 'total';
      cell(row, f.label);
      f.values.forEach((value, i) => cell(row, value, { figure: 'per_weighted_listed', component: f.key, side: r.sides[i] }));
      body.appendChild(row);
    }
    const texts = r.sides.map((side, i) => r.figures.map((f) => f.values[i]));
    drawChart('chart-resources', {
      type: 'bar',
      data: {
        labels: r.figures.map((f) => f.label),
        datasets: [
          { label: 'region-run', data: texts[0].map(barLength), backgroundColor: colours.region_run },
          { label: 'private', data: texts[1].map(barLength), backgroundColor: colours.private },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: { tooltip: exactTooltip(texts) },
        scales: { x: { title: { display: true, text: 'SEK per weighted listed citizen and year' } } },
      },
    });
  }

  function showCrossSubsidies(neutrality) {
    const rows = neutrality.tables.cross_subsidies;
    const body = tableBody('table-cross');
    for (const s of rows) {
      const row = document.createElement('tr');
      cell(row, s.service);
      cell(row, s.region_run_to_private, { figure: 'region_run_to_private', service: s.service });
      cell(row, s.share_of_region_run_paid_percent === null ? null : s.share_of_region_run_paid_percent + ' %');
      cell(row, s.private_to_region_run, { figure: 'private_to_region_run', service: s.service });
      cell(row, s.share_of_private_paid_percent === null ? null : s.share_of_private_paid_percent + ' %');
      body.appendChild(row);
    }
    if (rows.length === 0) cell(body.insertRow(), 'no shared costs in these months').colSpan = 5;
    const texts = [rows.map((s) => s.region_run_to_private), rows.map((s) => s.private_to_region_run)];
    drawChart('chart-cross', {
      type: 'bar',
      data: {
        labels: rows.map((s) => s.service),
        datasets: [
          { label: 'region-run → private', data: texts[0].map(barLength), backgroundColor: colours.region_run },
          { label: 'private → region-run', data: texts[1].map(barLength), backgroundColor: colours.private },
        ],
      },
      options: { plugins: { tooltip: exactTooltip(texts) }, scales: { y: { title: { display: true, text: 'SEK' } } } },
    });
  }

  function showCommitments(commitments, monthly) {
    const rows = commitments.tables.commitments;
    const total = rows.find((row) => row.commitment === 'total');
    const carried = rows.filter((row) => row.commitment !== 'total' && scaled(row.cost, 2) !== 0n);
    const months = monthly.months.map((m) => m.period);
    const monthlyBody = tableBody('table-commitments-monthly');
    const costs = months.map((month) => (total ? total['cost_' + month] : '0.00'));
    monthly.months.forEach((m, i) => {
      const row = document.createElement('tr');
      cell(row, m.period);
      cell(row, costs[i], { figure: 'commitment_cost', period: m.period });
      cell(row, m.appropriated, { figure: 'commitment_appropriated', period: m.period });
      cell(row, difference(costs[i], m.appropriated), { figure: 'commitment_unfunded', period: m.period });
      monthlyBody.appendChild(row);
    });
    const body = tableBody('table-commitments');
    for (const c of rows) {
      const row = document.createElement('tr');
      if (c.commitment === 'total') row.className = 'total';
      cell(row, c.commitment);
      cell(row, c.cost, { figure: 'commitment_total_cost', commitment: c.commitment });
      cell(row, c.appropriated, { figure: 'commitment_total_appropriated', commitment: c.commitment });
      cell(row, c.unfunded, { figure: 'commitment_total_unfunded', commitment: c.commitment });
      cell(row, c.share_of_total_percent === null ? null : c.share_of_total_percent + ' %');
      cell(row, c.decision_refs);
      body.appendChild(row);
    }
    setFigure('total_unfunded', commitments.summary.total_unfunded);
    setFigure('total_unfunded_per_weighted_listed_region_run', commitments.summary.total_unfunded_per_weighted_listed_region_run);
    const texts = carried.map((c) => months.map((month) => c['cost_' + month]));
    texts.push(monthly.months.map((m) => m.appropriated));
    const datasets = carried.map((c, i) => ({
      type: 'bar', label: c.commitment, data: texts[i].map(barLength), stack: 'cost',
      backgroundColor: commitmentColours[i % commitmentColours.length],
    }));
    datasets.push({
      type: 'bar', label: 'appropriated', data: texts[texts.length - 1].map(barLength), stack: 'appropriated',
      backgroundColor: colours.appropriated,
    });
    drawChart('chart-commitments', {
      data: { labels: months, datasets: datasets },
      options: {
        plugins: { tooltip: exactTooltip(texts) },
        scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: 'SEK' } } },
      },
    });
  }

  // What the server knows of Kafka (/ingestion's kafka): the lag is the brokers' high
  // watermark minus the ledger's next offset, so it exists only while the brokers answer.
  const brokerWords = {
    up: 'reachable: lag = high watermark − the ledger’s next offset',
    down: 'unreachable: lag unknown; the ledger’s own offsets are shown',
    not_configured: 'not read by this server (likvard serve --brokers); the ledger’s own offsets are shown',
  };

  function showKafka(kafka) {
    setFigure('kafka_broker', brokerWords[kafka.broker] || kafka.broker);
    const lags = kafka.partitions.map((p) => p.lag).filter((lag) => lag !== null);
    setFigure('kafka_lag_total', kafka.broker === 'up' ? lags.reduce((sum, lag) => sum + lag, 0) : null);
    document.getElementById('ingestion').dataset.broker = kafka.broker;
    const body = tableBody('table-kafka');
    for (const p of kafka.partitions) {
      const row = document.createElement('tr');
      const key = p.consumer_group + '/' + p.topic + '/' + p.partition;
      cell(row, p.consumer_group);
      cell(row, p.topic);
      cell(row, p.partition);
      cell(row, p.offset_next, { figure: 'offset_next', partition: key });
      cell(row, p.high_watermark, { figure: 'high_watermark', partition: key });
      cell(row, p.lag, { figure: 'kafka_lag', partition: key });
      body.appendChild(row);
    }
    if (kafka.partitions.length === 0) cell(body.insertRow(), 'no Kafka offsets in the ledger').colSpan = 6;
  }

  function showIngestion(ingestion) {
    for (const name of ['head_seq', 'head_recorded_at', 'projected_seq', 'projection_lag']) setFigure(name, ingestion[name]);
    document.getElementById('ingestion').dataset.lagging = String((ingestion.projection_lag || 0) > 0);
    const body = tableBody('table-rejections');
    const rows = ingestion.rejections_by_reason.map((r) => [r, r.reason])
      .concat(ingestion.rejections_without_region_by_reason.map((r) => [r, r.reason + ' (no region recorded)']));
    for (const [r, label] of rows) {
      const row = document.createElement('tr');
      cell(row, label);
      cell(row, r.rejections, { figure: 'rejections', reason: label });
      cell(row, r.last_received_at);
      body.appendChild(row);
    }
    if (rows.length === 0) cell(body.insertRow(), 'no rejected inputs').colSpan = 3;
    showKafka(ingestion.kafka);
  }

  async function download(statement, format) {
    const c = choice();
    const params = { scheme: c.scheme, from: c.from, to: c.to, format: format };
    const blob = await (await api(regionPath(c) + '/statements/' + statement, params)).blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = statement + '-' + c.region + '-' + c.scheme + '-' + c.year + '.' + format;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function setStatus(text, state) {
    const status = document.getElementById('status');
    status.textContent = text;
    status.dataset.state = state;
  }

  async function load() {
    document.body.dataset.ready = 'false';
    const c = choice();
    const statementParams = { scheme: c.scheme, from: c.from, to: c.to, format: 'json' };
    setStatus('Loading ' + c.region + ', ' + c.scheme + ', ' + c.year + '…', 'loading');
    try {
      const [neutrality, commitments, monthly, ingestion] = await Promise.all([
        apiJson(regionPath(c) + '/statements/neutrality', statementParams),
        apiJson(regionPath(c) + '/statements/commitments', statementParams),
        apiJson(regionPath(c) + '/commitments/monthly', { scheme: c.scheme, from: c.from, to: c.to }),
        apiJson(regionPath(c) + '/ingestion'),
      ]);
      showGap(neutrality);
      showResources(neutrality);
      showCrossSubsidies(neutrality);
      showCommitments(commitments, monthly);
      showIngestion(ingestion);
      setStatus(c.region + ', ' + c.scheme + ', ' + c.from + ' to ' + c.to + ': statements as of seq ' +
        neutrality.provenance.as_of_seq + '.', 'ok');
      // Charts draw synchronously (no animation); the next frame has them on screen.
      requestAnimationFrame(() => { document.body.dataset.ready = 'true'; });
    } catch (error) {
      setStatus(String(error.message || error), 'error');
      document.body.dataset.ready = 'error';
    }
  }

  function start() {
    // The choice lives in the fragment (#region=SE-Z&scheme=primary_care&year=2022): GET /
    // takes no query parameters, and a bookmarked view reopens as it was.
    const params = new URLSearchParams(location.hash.slice(1));
    for (const name of ['region', 'scheme', 'year']) {
      document.getElementById(name).value = params.get(name) || defaults[name];
    }
    document.getElementById('token').value = sessionStorage.getItem('likvard-token') || '';
    document.getElementById('choice').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem('likvard-token', token());
      const c = choice();
      history.replaceState(null, '', '#' + new URLSearchParams({ region: c.region, scheme: c.scheme, year: c.year }).toString());
      load();
    });
    for (const button of document.querySelectorAll('[data-download]')) {
      button.addEventListener('click', () => download(button.dataset.download, button.dataset.format)
        .catch((error) => setStatus(String(error.message || error), 'error')));
    }
    if (typeof Chart === 'undefined') {
      setStatus('The chart library did not load (assets/chart.umd.js).', 'error');
      document.body.dataset.ready = 'error';
      return;
    }
    load();
  }

  start();
})();
