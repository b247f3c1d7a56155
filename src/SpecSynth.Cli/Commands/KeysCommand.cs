using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>specsynth keys set|list|remove|path</c>: API keys kept in the operating system's secret store (or a 0600 file in
/// the state folder). <c>set</c> reads the key from standard input, or from a prompt that does not echo on a terminal,
/// never from the command line; nothing prints a key, only its fingerprint.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("keys", "Store, list and remove API keys (used when no key variable is set and no api_key_command is configured).")
        {
            Set(host), List(host), Remove(host), PathCommand(host),
        };
        return command;
    }

    private static Command Set(CliHost host)
    {
        var provider = new Argument<string>("provider") { Description = "claude, openai, azure or ollama." };
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON result on stdout." };
        var command = new Command("set", "Store a provider's API key, read from standard input or a no-echo prompt (never from the command line).")
        {
            provider, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(provider)!;
            var store = ApiKeys.Store(host.GetEnv);
            var key = host.InputIsTerminal ? Prompt(host, name) : await ReadAsync(host, ct).ConfigureAwait(false);
            var stored = ApiKeys.Set(name, key, host.GetEnv);
            if (parse.GetValue(json))
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(new { stored.Provider, stored.Store, stored.Fingerprint, store.Location, store.FallbackReason },
                    CliJson.Options)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            await host.Out.WriteLineAsync($"stored the {stored.Provider} key ({stored.Fingerprint}) in the {stored.Store} store: {store.Location}")
                .ConfigureAwait(false);
            if (store.FallbackReason is { } reason)
            {
                await host.Error.WriteLineAsync($"note: the operating system's secret store is not used: {reason}").ConfigureAwait(false);
            }
            else if (host.GetEnv("SPECSYNTH_KEY_STORE")?.Trim() is { Length: > 0 } forced && !forced.Equals("auto", StringComparison.OrdinalIgnoreCase))
            {
                await host.Error.WriteLineAsync($"note: SPECSYNTH_KEY_STORE={forced} chose this store").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliHost host)
    {
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON result on stdout." };
        var command = new Command("list", "List the stored keys: provider, store and fingerprint (never the key).") { json };
        command.SetAction(async (parse, ct) =>
        {
            var keys = ApiKeys.List(host.GetEnv);
            if (parse.GetValue(json))
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(keys, CliJson.Options)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var text = new StringBuilder();
            text.Append("provider  store           fingerprint\n");
            foreach (var key in keys)
            {
                text.Append(key.Provider.PadRight(10)).Append(key.Store.PadRight(16)).Append(key.Fingerprint).Append('\n');
            }
            if (keys.Count == 0)
            {
                text.Append("(no stored key)\n");
            }
            await host.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliHost host)
    {
        var provider = new Argument<string>("provider") { Description = "claude, openai, azure or ollama." };
        var command = new Command("remove", "Remove a provider's stored key.") { provider };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(provider)!;
            var removed = ApiKeys.Remove(name, host.GetEnv);
            var store = ApiKeys.Store(host.GetEnv);
            await host.Out.WriteLineAsync(removed
                ? $"removed the {name} key from the {store.Name} store"
                : $"no {name} key in the {store.Name} store").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command PathCommand(CliHost host)
    {
        var json = new Option<bool>("--json") { Description = "Print a machine-readable JSON result on stdout." };
        var command = new Command("path", "Show where keys are stored (the store, and the file when it is the file store).") { json };
        command.SetAction(async (parse, ct) =>
        {
            var store = ApiKeys.Store(host.GetEnv);
            if (parse.GetValue(json))
            {
                await host.Out.WriteLineAsync(JsonSerializer.Serialize(store, CliJson.Options)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            await host.Out.WriteLineAsync($"{store.Name}: {store.Location}").ConfigureAwait(false);
            if (store.FallbackReason is { } reason)
            {
                await host.Out.WriteLineAsync($"(the operating system's secret store is not used: {reason})").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The key piped in: the whole of standard input, trimmed (one line).</summary>
    private static async Task<string> ReadAsync(CliHost host, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(host.OpenInput(), Encoding.UTF8);
        var text = (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
        return text.Length > 0
            ? text
            : throw new SpecSynthException(ErrorKind.InvalidInput, "no key on standard input: pipe it in (e.g. 'op read ... | specsynth keys set claude') or run in a terminal to be prompted");
    }

    /// <summary>Asks on the terminal without echoing what is typed.</summary>
    private static string Prompt(CliHost host, string provider)
    {
        host.Error.Write($"API key for {provider} (input hidden): ");
        host.Error.Flush();
        var key = new StringBuilder();
        while (true)
        {
            var typed = Console.ReadKey(intercept: true);
            if (typed.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (typed.Key == ConsoleKey.Backspace)
            {
                if (key.Length > 0)
                {
                    key.Length--;
                }
                continue;
            }
            if (!char.IsControl(typed.KeyChar))
            {
                key.Append(typed.KeyChar);
            }
        }
        host.Error.WriteLine();
        return key.ToString();
    }
}
