using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SpecSynth.Usage;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth usage [--project DIR] [--since DATE] [--by provider|model|day|spec|operation] [--json]</c>: totals
/// from the usage ledger.</summary>
internal static class UsageCommand
{
    private static readonly string[] Groupings = ["provider", "model", "day", "spec", "operation"];

    public static Command Create(CliHost host)
    {
        var project = new Option<string?>("--project") { Description = "Only the requests made for this project folder. Default: every project." };
        var since = new Option<string?>("--since") { Description = "Only requests since a UTC date (2026-12-01), a UTC time, or a span back from now (7d, 24h)." };
        var by = new Option<string?>("--by") { Description = "Also give totals per provider, model, day (UTC), spec or operation." };
        by.AcceptOnlyFromAmong(Groupings);
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON result on stdout." };
        var command = new Command("usage", "Show requests, tokens and cost recorded in the usage ledger.") { project, since, by, json };
        command.SetAction(async (parse, ct) =>
        {
            var from = parse.GetValue(since) is { } text ? UsageReport.ParseSince(text, host.Time) : (DateTimeOffset?)null;
            var grouping = parse.GetValue(by) is { } name ? Enum.Parse<UsageGrouping>(name, ignoreCase: true) : (UsageGrouping?)null;
            var folder = parse.GetValue(project) is { } dir ? host.FullPath(dir) : null;
            var path = UsageReport.LedgerPath(host.GetEnv);
            var report = UsageReport.Query(from, grouping, folder, host.GetEnv);
            if (parse.GetValue(json))
            {
                var view = new
                {
                    Ledger = path,
                    Since = from?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    Project = folder,
                    By = grouping?.ToString().ToLowerInvariant(),
                    Groups = report.Groups.Select(g => View(g, g.Key)).ToList(),
                    Total = View(report.Total, null),
                };
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(view, CliJson.Options)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            await host.Out.WriteAsync(Table(report, grouping)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Dictionary<string, object?> View(UsageTotals t, string? key)
    {
        var view = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (key is not null)
        {
            view["key"] = key;
        }
        view["requests"] = t.Requests;
        view["input_tokens"] = t.InputTokens;
        view["output_tokens"] = t.OutputTokens;
        view["cache_write_tokens"] = t.CacheWriteTokens;
        view["cache_read_tokens"] = t.CacheReadTokens;
        view["cost_usd"] = t.CostUsd;
        view["cache_hits"] = t.CacheHits;
        view["errors"] = t.Errors;
        view["cancelled"] = t.Cancelled;
        view["retries"] = t.Retries;
        return view;
    }

    private static string Table(UsageReport report, UsageGrouping? grouping)
    {
        var header = new[] { grouping?.ToString().ToLowerInvariant() ?? "", "requests", "input", "output", "cache_write", "cache_read", "cost_usd", "cache_hits", "errors" };
        var rows = report.Groups.Select(g => Row(g.Key ?? "", g)).Append(Row("total", report.Total)).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            for (var i = 0; i < cells.Count; i++)
            {
                sb.Append(i == 0 ? cells[i].PadRight(widths[i]) : "  " + cells[i].PadLeft(widths[i]));
            }
            sb.Append('\n');
        }
        Line(header);
        rows.ForEach(Line);
        return sb.ToString();
    }

    private static string[] Row(string key, UsageTotals t) =>
    [
        key,
        N(t.Requests), N(t.InputTokens), N(t.OutputTokens), N(t.CacheWriteTokens), N(t.CacheReadTokens),
        t.CostUsd.ToString("0.000000", CultureInfo.InvariantCulture), N(t.CacheHits), N(t.Errors),
    ];

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
