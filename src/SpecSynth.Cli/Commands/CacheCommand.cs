using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace SpecSynth.Cli.Commands;

/// <summary><c>specsynth cache stats|clear [--json]</c>: what the response cache holds, and emptying it.</summary>
internal static class CacheCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("cache", "Inspect or empty the response cache.")
        {
            Sub(host, "stats", "Show the entries, bytes, hits and misses of the response cache.", StatsAsync),
            Sub(host, "clear", "Remove every cached reply (and reset the hit/miss counters).", ClearAsync),
        };
        return command;
    }

    private static Command Sub(CliHost host, string name, string description, Func<CliHost, ResponseCacheAdmin, bool, CancellationToken, Task> action)
    {
        var project = new Option<string?>("--project") { Description = "The project folder (its specsynth.toml may name a Redis cache). Default: the current folder." };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON result on stdout." };
        var command = new Command(name, description) { project, json };
        command.SetAction(async (parse, ct) =>
        {
            var config = SpecSynthConfiguration.Load(host.FullPath(parse.GetValue(project) ?? "."), host.GetEnv);
            using var store = ResponseCacheAdmin.Open(config, host.Time, host.GetEnv, sharedState: SpecSynthRedis.Backend);
            await action(host, store, parse.GetValue(json), ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task StatsAsync(CliHost host, ResponseCacheAdmin store, bool json, CancellationToken cancellationToken)
    {
        var stats = await store.StatsAsync(cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(stats, CliJson.Options)).ConfigureAwait(false);
            return;
        }
        await host.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"backend:  {stats.Backend} ({stats.Location})\nentries:  {stats.Entries}\nbytes:    {stats.Bytes}\nhits:     {stats.Hits}\nmisses:   {stats.Misses}"))
            .ConfigureAwait(false);
    }

    private static async Task ClearAsync(CliHost host, ResponseCacheAdmin store, bool json, CancellationToken cancellationToken)
    {
        var cleared = await store.ClearAsync(cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await host.Out.WriteLineAsync(JsonSerializer.Serialize(cleared, CliJson.Options)).ConfigureAwait(false);
            return;
        }
        await host.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Removed {cleared.Removed} cached replies from {cleared.Backend} ({cleared.Location})."))
            .ConfigureAwait(false);
    }
}
