using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth models [--provider P] [--offline] [--json]</c>: the models each provider serves, joined with the
/// catalog and the config's <c>[models."ID"]</c> overrides (the same listing as the MCP <c>models</c> tool).</summary>
internal static class ModelsCommand
{
    public static Command Create(CliHost host)
    {
        var provider = new Option<string?>("--provider") { Description = "Only this provider (claude, openai, azure, ollama). Default: the configured chain." };
        var offline = new Option<bool>("--offline") { Description = "List the catalog (and config overrides) without asking any provider." };
        var project = new Option<string?>("--project") { Description = "The project folder (its specsynth.toml). Default: the current folder." };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON result on stdout." };
        var command = new Command("models", "List the models a provider serves with their context window, output limit, prices and parameter quirks.")
        {
            provider, offline, project, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var config = SpecSynthConfiguration.Load(host.FullPath(parse.GetValue(project) ?? "."), host.GetEnv);
            var list = await ModelListing.ListAsync(config, parse.GetValue(provider), !parse.GetValue(offline), host.GetEnv,
                host.ProviderFactory ?? SpecSynthProviders.Factory, ct).ConfigureAwait(false);
            foreach (var warning in list.Warnings)
            {
                await host.Error.WriteLineAsync("warning: " + warning).ConfigureAwait(false);
            }
            await host.Out.WriteAsync(parse.GetValue(json) ? JsonSerializer.Serialize(list, CliJson.Options) + "\n" : Table(list)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Table(ModelList list)
    {
        var rows = new List<string[]> { new[] { "provider", "model", "context", "max out", "in", "out", "cache w", "cache r", "batch in", "batch out", "notes" } };
        foreach (var m in list.Models)
        {
            var notes = new List<string>();
            if (!m.Known) { notes.Add("unknown to the catalog"); }
            if (m.Source == "config") { notes.Add("from config"); }
            if (m.Served == false) { notes.Add("not confirmed by the provider"); }
            if (m.RejectsTemperature) { notes.Add("no temperature"); }
            if (m.UsesMaxCompletionTokens) { notes.Add("max_completion_tokens"); }
            if (m.Model is not null) { notes.Add("model " + m.Model); }
            rows.Add([m.Provider, m.Id, Int(m.ContextWindow), Int(m.MaxOutputTokens), Usd(m.InputPerMillion), Usd(m.OutputPerMillion),
                Usd(m.CacheWritePerMillion), Usd(m.CacheReadPerMillion), Usd(m.BatchInputPerMillion), Usd(m.BatchOutputPerMillion), string.Join(", ", notes)]);
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }
        text.Append("# prices: USD per million tokens, list prices checked ").Append(list.PricesChecked)
            .Append("; override or add models in specsynth.toml with [models.\"ID\"]\n");
        return text.ToString();
    }

    private static string Int(int? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "?";

    private static string Usd(decimal? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "?";
}
