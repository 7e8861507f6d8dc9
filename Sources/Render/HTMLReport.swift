// The self-contained HTML report: records table, per-record figures, lead selector, threshold slider, model card.

import Foundation

/// Builds one self-contained HTML file (inline CSS, SVG and script; nothing fetched from a network),
/// written as well-formed XHTML so XML parsers read it too.
///
/// Stable ids and classes (for tests and browser automation):
/// `#threshold-slider` (range input, value = record threshold tau), `#threshold-value` (its text),
/// `#threshold-reset`, `#lead-selector` with one `input.lead-toggle[value=<lead>]` per lead,
/// `#records-table` with rows `#record-<i>-row` (cells `.score`, `.threshold`, `.verdict`),
/// `section.record#record-<i>` with `.verdict` and one `div.lead-box[data-lead]` per lead holding the
/// lead's SVG (`g.lead-panel`, `g.highlight-layer`, `rect.highlight`), `#model-card`,
/// `script#report-data` (JSON).
///
/// The slider sets tau; verdicts become score > tau, and each lead's trace threshold scales by
/// tau / tau0 (tau0 = the report's threshold), so the trace highlights move with the slider. The
/// script redraws highlights from the embedded trace maxima per pixel column (4 significant digits;
/// in full where rounding would move a value across its lead's threshold).
public struct HTMLReport: Sendable {
    public var input: ReportInput
    public var figureWidth: Double

    public init(_ input: ReportInput, figureWidth: Double = 900) {
        self.input = input
        self.figureWidth = figureWidth
    }

    /// The report as an HTML document string.
    public func render() throws -> String {
        var body: [SVGElement] = [SVGElement("h1", text: input.title)]
        body.append(controls())
        if let card = input.modelCard { body.append(modelCardSection(card)) }
        body.append(recordsTable())
        var leadData: [String] = []
        for (index, record) in input.records.enumerated() {
            let (section, data) = try recordSection(record, index: index)
            body.append(section)
            leadData.append(data)
        }
        let json = "{\"threshold\":\(jsonNumber(input.threshold, digits: 17)),\"records\":[\(leadData.joined(separator: ","))]}"
        body.append(.rawContent("script", [("type", "application/json"), ("id", "report-data")], raw: json))
        body.append(.rawContent("script", [], raw: "//<![CDATA[\n" + Self.script + "\n//]]>"))
        let head = SVGElement("head", children: [
            SVGElement("meta", [("charset", "utf-8")]),
            SVGElement("title", text: input.title),
            .rawContent("style", [], raw: Self.style),
        ])
        let html = SVGElement("html", [("xmlns", "http://www.w3.org/1999/xhtml"), ("lang", "en")],
                              children: [head, SVGElement("body", children: body)])
        return "<!DOCTYPE html>\n" + html.render() + "\n"
    }

    func isAnomalous(_ record: ReportRecord) -> Bool { record.score > input.threshold }

    /// The slider and the lead selector. The slider's step is "any": a numeric step snaps the value
    /// to min + k step, so the slider would start (and reset) off the report's threshold.
    func controls() -> SVGElement {
        let scores = input.records.map(\.score).filter(\.isFinite)
        let maximum = max(2 * input.threshold, 1.05 * (scores.max() ?? 0), 1e-12)
        var leads: [String] = []
        for record in input.records {
            for lead in record.figure.leads where !leads.contains(lead.name) { leads.append(lead.name) }
        }
        let toggles = leads.map { lead in
            SVGElement("label", children: [
                SVGElement("input", [("type", "checkbox"), ("class", "lead-toggle"), ("value", lead), ("checked", "checked")]),
                SVGElement("span", text: " " + lead),
            ])
        }
        return SVGElement("section", [("id", "controls")], children: [
            SVGElement("label", [("for", "threshold-slider")], text: "Threshold "),
            SVGElement("input", [("type", "range"), ("id", "threshold-slider"), ("min", "0"),
                                 ("max", jsonNumber(maximum, digits: 6)), ("step", "any"),
                                 ("value", jsonNumber(input.threshold, digits: 17))]),
            SVGElement("output", [("id", "threshold-value")], text: NumberFormatting.significant(input.threshold)),
            SVGElement("button", [("type", "button"), ("id", "threshold-reset")], text: "reset"),
            SVGElement("fieldset", [("id", "lead-selector")], children: [SVGElement("legend", text: "Leads")] + toggles),
        ])
    }

    func modelCardSection(_ card: ModelCard) -> SVGElement {
        var rows: [(String, String)] = [("Kind", card.kind), ("Size", card.size)]
        if let count = card.parameterCount { rows.append(("Parameters", "\(count)")) }
        rows += [("Training data", card.trainingData), ("History", card.historySummary),
                 ("Threshold method", card.thresholdMethod)]
        rows += card.notes.map { ($0.label, $0.value) }
        let table = SVGElement("table", [("class", "model-card")], children: rows.map { row in
            SVGElement("tr", children: [SVGElement("th", text: row.0), SVGElement("td", text: row.1)])
        })
        var children = [SVGElement("h2", text: "Model"), table]
        if !card.trainingLosses.isEmpty {
            var plot = LinePlot(title: "Training history", xLabel: "epoch", yLabel: "loss", series: card.trainingLosses)
            plot.identifier = "history"
            children.append(SVGElement("div", [("class", "history-figure")], children: [plot.element()]))
        }
        return SVGElement("section", [("id", "model-card")], children: children)
    }

    func recordsTable() -> SVGElement {
        let header = SVGElement("tr", children: ["Record", "Score", "Threshold", "Verdict"].map { SVGElement("th", text: $0) })
        let rows = input.records.enumerated().map { index, record in
            SVGElement("tr", [("id", "record-\(index)-row"), ("class", isAnomalous(record) ? "anomalous" : "normal")], children: [
                SVGElement("td", children: [SVGElement("a", [("href", "#record-\(index)")], text: record.figure.recordName)]),
                SVGElement("td", [("class", "score")], text: NumberFormatting.significant(record.score)),
                SVGElement("td", [("class", "threshold")], text: NumberFormatting.significant(input.threshold)),
                SVGElement("td", [("class", "verdict")], text: isAnomalous(record) ? "anomalous" : "normal"),
            ])
        }
        return SVGElement("section", [("id", "records")], children: [
            SVGElement("h2", text: "Records"),
            SVGElement("table", [("id", "records-table")], children: [
                SVGElement("thead", children: [header]), SVGElement("tbody", children: rows),
            ]),
        ])
    }

    /// The record's section and its JSON entry for the script.
    func recordSection(_ record: ReportRecord, index: Int) throws -> (SVGElement, String) {
        var figureInput = record.figure
        figureInput.isAnomalous = isAnomalous(record)
        let figure = ScoreFigure(figureInput, width: figureWidth, identifier: "record-\(index)")
        var boxes: [SVGElement] = []
        var leads: [String] = []
        for (leadIndex, lead) in figureInput.leads.enumerated() {
            boxes.append(SVGElement("div", [("class", "lead-box"), ("data-lead", lead.name)],
                                    children: [try figure.leadElement(at: leadIndex)]))
            let frame = figure.traceFrame(for: lead)
            let spacing = 1 / figureInput.samplingRate
            let maxima = minMaxDecimate(lead.anomalyTrace, columns: Int(frame.width.rounded())).map(\.maximum)
            leads.append("{\"lead\":\(jsonString(lead.name)),\"thr\":\(jsonNumber(lead.traceThreshold, digits: 17))"
                + ",\"x0\":\(jsonNumber(frame.x(0), digits: 6)),\"x1\":\(jsonNumber(frame.x(Double(lead.anomalyTrace.count) * spacing), digits: 6))"
                + ",\"top\":\(jsonNumber(frame.top, digits: 6)),\"height\":\(jsonNumber(frame.height, digits: 6))"
                + ",\"ylo\":\(jsonNumber(frame.yScale.lower, digits: 17)),\"yhi\":\(jsonNumber(frame.yScale.upper, digits: 17))"
                + ",\"cols\":[\(maxima.map { columnNumber($0, threshold: lead.traceThreshold) }.joined(separator: ","))]}")
        }
        let verdict = figureInput.verdictText
        var titleParts = [figureInput.recordName, figureInput.modelName]
        if let rate = figureInput.heartRate, rate.isFinite { titleParts.append("HR \(Int(rate.rounded())) bpm") }
        let section = SVGElement("section", [("class", "record" + (figureInput.isAnomalous ? " anomalous" : "")),
                                             ("id", "record-\(index)"), ("data-record", figureInput.recordName),
                                             ("data-score", jsonNumber(record.score, digits: 17))], children: [
            SVGElement("h2", [("class", "record-title")], children: [
                SVGElement("span", text: figureInput.recordName + " — " + figureInput.modelName + " — "),
                SVGElement("span", [("class", "verdict")], text: verdict),
                SVGElement("span", text: figureInput.heartRate.map { $0.isFinite ? " — HR \(Int($0.rounded())) bpm" : "" } ?? ""),
            ]),
            SVGElement("p", [("class", "record-score")],
                       text: "score \(NumberFormatting.significant(record.score)), threshold \(NumberFormatting.significant(input.threshold))"),
        ] + boxes)
        let json = "{\"id\":\"record-\(index)\",\"score\":\(jsonNumber(record.score, digits: 17)),\"leads\":[\(leads.joined(separator: ","))]}"
        return (section, json)
    }

    /// A column maximum for the script: 4 significant digits keep the file small, but where rounding
    /// would move the value across the lead's threshold (1.00004 -> "1" against 1) it is written in
    /// full, so at the report's threshold the script highlights exactly the columns the SVG does.
    func columnNumber(_ value: Double, threshold: Double) -> String {
        let short = jsonNumber(value, digits: 4)
        guard let rounded = Double(short), (rounded > threshold) != (value > threshold) else { return short }
        return jsonNumber(value, digits: 17)
    }

    /// A JSON number with `digits` significant digits; null when not finite.
    func jsonNumber(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return "null" }
        return String(format: "%.\(digits)g", value)
    }

    /// A JSON string literal that is also safe inside XML text (<, >, & as \u escapes).
    func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "<", ">", "&", "'": result += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }

    static let style = """
    body { font-family: sans-serif; margin: 1.5em; color: #222; }
    #controls { position: sticky; top: 0; background: #fafafa; border-bottom: 1px solid #ddd; padding: 0.5em; z-index: 1; }
    #threshold-slider { width: 24em; vertical-align: middle; }
    #lead-selector { display: inline-block; margin-left: 1.5em; border: 1px solid #ccc; }
    #lead-selector label { margin-right: 0.6em; }
    table { border-collapse: collapse; margin: 0.5em 0; }
    th, td { border: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; }
    td.score, td.threshold { text-align: right; font-variant-numeric: tabular-nums; }
    tr.anomalous td.verdict, section.anomalous .verdict { color: #c0392b; font-weight: bold; }
    section.record { margin-top: 1.5em; border-top: 2px solid #eee; }
    .lead-box svg { display: block; }
    """

    static let script = """
    (function () {
      var data = JSON.parse(document.getElementById('report-data').textContent);
      var slider = document.getElementById('threshold-slider');
      var shown = document.getElementById('threshold-value');
      var svgNS = 'http://www.w3.org/2000/svg';
      function verdictText(anomalous) { return anomalous ? 'This ECG shows anomalies' : 'This ECG appears normal'; }
      // C's %.4g, as NumberFormatting.significant writes the numbers at load, so moving the slider
      // and pressing reset shows "0.5" again, not toPrecision's "0.5000".
      function significant(value) {
        if (!isFinite(value)) { return isNaN(value) ? 'nan' : (value > 0 ? 'inf' : '-inf'); }
        var parts = value.toExponential(3).split('e'), exponent = parseInt(parts[1], 10);
        var strip = function (text) { return text.indexOf('.') < 0 ? text : text.replace(/[.]?0+$/, ''); };
        if (exponent < -4 || exponent >= 4) {
          var size = Math.abs(exponent);
          return strip(parts[0]) + 'e' + (exponent < 0 ? '-' : '+') + (size < 10 ? '0' : '') + size;
        }
        return strip(value.toFixed(3 - exponent));
      }
      function redrawLead(section, lead, ratio) {
        var panel = section.querySelector('.lead-panel[data-lead="' + lead.lead + '"]');
        if (!panel) { return; }
        var layer = panel.querySelector('.highlight-layer');
        while (layer.firstChild) { layer.removeChild(layer.firstChild); }
        var threshold = lead.thr * ratio, count = lead.cols.length, step = (lead.x1 - lead.x0) / count, start = -1;
        for (var c = 0; c <= count; c++) {
          var above = c < count && lead.cols[c] !== null && lead.cols[c] > threshold;
          if (above && start < 0) { start = c; }
          if (!above && start >= 0) {
            var rect = document.createElementNS(svgNS, 'rect');
            rect.setAttribute('class', 'highlight');
            rect.setAttribute('x', lead.x0 + start * step);
            rect.setAttribute('y', lead.top);
            rect.setAttribute('width', (c - start) * step);
            rect.setAttribute('height', lead.height);
            rect.setAttribute('fill', '#ff7f0e');
            rect.setAttribute('fill-opacity', '0.3');
            layer.appendChild(rect);
            start = -1;
          }
        }
        var line = panel.querySelector('.threshold-line');
        if (line) {
          var fraction = (lead.yhi - threshold) / (lead.yhi - lead.ylo);
          var y = lead.top + Math.min(Math.max(fraction, 0), 1) * lead.height;
          line.setAttribute('y1', y);
          line.setAttribute('y2', y);
          line.setAttribute('data-threshold', threshold);
        }
      }
      function apply(tau) {
        var ratio = data.threshold !== 0 ? tau / data.threshold : 1;
        shown.textContent = significant(tau);
        data.records.forEach(function (record) {
          var anomalous = record.score > tau;
          var section = document.getElementById(record.id);
          section.classList.toggle('anomalous', anomalous);
          section.querySelectorAll('.verdict').forEach(function (element) { element.textContent = verdictText(anomalous); });
          var row = document.getElementById(record.id + '-row');
          if (row) {
            row.className = anomalous ? 'anomalous' : 'normal';
            row.querySelector('.verdict').textContent = anomalous ? 'anomalous' : 'normal';
            row.querySelector('.threshold').textContent = significant(tau);
          }
          record.leads.forEach(function (lead) { redrawLead(section, lead, ratio); });
        });
      }
      slider.addEventListener('input', function () { apply(parseFloat(slider.value)); });
      document.getElementById('threshold-reset').addEventListener('click', function () {
        slider.value = data.threshold;
        apply(data.threshold);
      });
      document.querySelectorAll('.lead-toggle').forEach(function (box) {
        box.addEventListener('change', function () {
          document.querySelectorAll('.lead-box[data-lead="' + box.value + '"]').forEach(function (element) {
            element.style.display = box.checked ? '' : 'none';
          });
        });
      });
    })();
    """
}
