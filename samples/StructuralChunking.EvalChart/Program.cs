using System.Globalization;
using System.Text.Json;
using ScottPlot;

// usage: EvalChart RESULTS.jsonl OUTPUT.png
// One group of bars per evaluation set, one bar per configuration: symbol-level MRR@10.
if (args.Length != 2 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: StructuralChunking.EvalChart RESULTS.jsonl OUTPUT.png");
    return 1;
}

var rows = File.ReadLines(args[0])
    .Where(l => !string.IsNullOrWhiteSpace(l))
    .Select(l => JsonDocument.Parse(l).RootElement)
    .Select(e => (Set: e.GetProperty("set").GetString()!, Configuration: e.GetProperty("configuration").GetString()!,
        Mrr: e.GetProperty("symbol").GetProperty("mrr@10").GetDouble()))
    .ToList();
var sets = rows.Select(r => r.Set).Distinct().ToList();
var configurations = rows.Select(r => r.Configuration).Distinct().ToList();

var plot = new Plot();
var palette = new ScottPlot.Palettes.Category20();
var bars = new List<Bar>();
const double GroupGap = 1.5;
for (var s = 0; s < sets.Count; s++)
{
    for (var c = 0; c < configurations.Count; c++)
    {
        var row = rows.FirstOrDefault(r => r.Set == sets[s] && r.Configuration == configurations[c]);
        if (row.Set is null)
        {
            continue;
        }

        bars.Add(new Bar
        {
            Position = (s * (configurations.Count + GroupGap)) + c,
            Value = row.Mrr,
            FillColor = palette.GetColor(c),
            Label = row.Mrr.ToString("F2", CultureInfo.InvariantCulture),
        });
    }
}

var barPlot = plot.Add.Bars(bars);
barPlot.ValueLabelStyle.FontSize = 9;
for (var c = 0; c < configurations.Count; c++)
{
    plot.Legend.ManualItems.Add(new LegendItem { LabelText = configurations[c], FillColor = palette.GetColor(c) });
}

var ticks = sets.Select((set, s) => new Tick((s * (configurations.Count + GroupGap)) + ((configurations.Count - 1) / 2.0), set)).ToArray();
plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
plot.Axes.Left.Label.Text = "symbol-level MRR@10";
plot.Axes.SetLimitsY(0, 1.05);
plot.Title("Retrieval quality per configuration and evaluation set");
plot.Legend.Alignment = Alignment.UpperRight;
plot.Legend.FontSize = 9;
plot.ShowLegend(Edge.Right);
plot.SavePng(args[1], 1600, 700);
Console.WriteLine($"wrote {args[1]}");
return 0;
