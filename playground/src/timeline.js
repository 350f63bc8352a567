// A timeline conclusion as an SVG picture: one row per event, a dot for a
// day ({date, event}), a bar for a span ({from, to, event}, both days
// included), on a shared time axis with week ticks.

const DAY = 86400000;

function day(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(s));
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY : NaN;
}

function iso(n) {
  return new Date(n * DAY).toISOString().slice(0, 10);
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Whether a conclusion's value is a timeline: a list of dated events. */
export function isTimeline(v) {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every((e) => e && typeof e === "object" && typeof e.event === "string" && ("date" in e || ("from" in e && "to" in e)))
  );
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function short(n) {
  const d = new Date(n * DAY);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** The SVG text of a timeline. */
export function timelineSvg(events, name) {
  const items = events.map((e) => {
    const from = day("date" in e ? e.date : e.from);
    const to = "date" in e ? from : day(e.to);
    return { e, from, to, span: !("date" in e) };
  });
  const ok = items.filter((i) => !Number.isNaN(i.from) && !Number.isNaN(i.to));
  const lo = Math.min(...ok.map((i) => i.from)) - 1;
  const hi = Math.max(...ok.map((i) => i.to)) + 2;
  const width = 960;
  const left = 16;
  const labelRoom = 280;
  const axisW = width - left - labelRoom;
  const row = 26;
  const top = 34;
  const height = top + items.length * row + 16;
  const x = (n) => left + ((n - lo) / (hi - lo)) * axisW;
  const id = `tl-${String(name).replace(/[^a-z0-9]+/gi, "-")}`;
  const out = [];
  out.push(
    `<svg class="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${esc(name)}</title>`,
    `<desc id="${id}-desc">${esc(
      items
        .map((i) => (i.span ? `${i.e.from} to ${i.e.to}: ${i.e.event}` : `${i.e.date}: ${i.e.event}`))
        .join("; "),
    )}</desc>`,
  );
  // axis and week ticks (Mondays), with month-day labels
  const axisY = top - 12;
  out.push(`<line class="axis" x1="${x(lo)}" y1="${axisY}" x2="${x(hi)}" y2="${axisY}"/>`);
  const span = hi - lo;
  const step = span > 400 ? 30 : span > 120 ? 14 : 7;
  let t = lo;
  while (new Date(t * DAY).getUTCDay() !== 1) t += 1;
  for (; t <= hi; t += step) {
    out.push(
      `<line class="tick" x1="${x(t)}" y1="${axisY - 4}" x2="${x(t)}" y2="${height - 8}"/>`,
      `<text class="tick-label" x="${x(t)}" y="${axisY - 8}" text-anchor="middle">${short(t)}</text>`,
    );
  }
  items.forEach((i, k) => {
    const y = top + k * row + row / 2;
    const when = i.span ? `${i.e.from} – ${i.e.to}` : i.e.date;
    const cls = i.span ? "event interval" : "event point";
    const attrs = i.span ? `data-from="${esc(i.e.from)}" data-to="${esc(i.e.to)}"` : `data-date="${esc(i.e.date)}"`;
    out.push(`<g class="${cls}" ${attrs} data-event="${esc(i.e.event)}"><title>${esc(when)}: ${esc(i.e.event)}</title>`);
    out.push(`<line class="guide" x1="${x(lo)}" y1="${y}" x2="${x(hi)}" y2="${y}"/>`);
    let start;
    let end;
    if (Number.isNaN(i.from) || Number.isNaN(i.to)) {
      start = end = x(lo);
    } else if (i.span) {
      const x1 = x(i.from);
      const x2 = x(i.to + 1);
      out.push(`<rect class="mark" x="${x1}" y="${y - 7}" width="${Math.max(2, x2 - x1)}" height="14" rx="3"/>`);
      start = x1;
      end = x2;
    } else {
      out.push(`<circle class="mark" cx="${x(i.from + 0.5)}" cy="${y}" r="6"/>`);
      start = x(i.from + 0.5) - 6;
      end = x(i.from + 0.5) + 6;
    }
    // a label that would run off the right edge goes left of its mark
    const room = width - end - 8;
    const needed = (i.e.event.length + 14) * 6.6;
    const [lx, anchor] = room >= needed || start - left < needed ? [end + 8, "start"] : [start - 8, "end"];
    out.push(
      `<text class="label" x="${lx}" y="${y + 4}" text-anchor="${anchor}"><tspan class="when">${esc(
        i.span ? `${short(i.from)}–${short(i.to)}` : short(i.from),
      )}</tspan> ${esc(i.e.event)}</text></g>`,
    );
  });
  out.push(`</svg>`);
  return out.join("");
}

export { iso };
