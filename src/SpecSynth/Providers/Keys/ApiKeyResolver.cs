using System.Collections.Concurrent;
using SpecSynth.Config;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// Where a provider's key comes from when none of its variables is set: its <c>api_key_command</c>, else the key stored
/// by <c>specsynth keys set</c>. The full order is environment → <c>api_key_command</c> → stored key; the environment
/// is read by <see cref="ProviderEnvironment"/>. One per host (commands keep their output for its TTL). Thread-safe.
/// </summary>
internal sealed class ApiKeyResolver(Func<string, string?> getEnv, TimeProvider time)
{
    /// <summary>The alias of a key read from <c>api_key_command</c> (the second line's is <c>api_key_command#2</c>).</summary>
    public const string CommandAlias = "api_key_command";

    /// <summary>The key source <c>config show</c> names for Azure OpenAI without a key (never a token).</summary>
    public const string EntraIdSource = "entra-id (DefaultAzureCredential)";

    private readonly Lazy<(IKeyStore Store, string? FallbackReason)> store = new(() => KeyStores.Open(getEnv));
    private readonly ConcurrentDictionary<string, KeyCommand> commands = new(StringComparer.Ordinal);

    /// <summary>The keys from the command or the store, or <c>null</c> when neither has one.</summary>
    /// <exception cref="SpecSynthException">The command failed (naming it), or the key file is readable by others.</exception>
    public ResolvedKeys? Resolve(string provider, ProviderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.ApiKeyCommand is { } text)
        {
            var command = commands.GetOrAdd(provider + "\n" + text,
                _ => new KeyCommand(provider, text, config.ApiKeyShell, config.ApiKeyTtl, time));
            var keys = command.GetKeys();
            return new ResolvedKeys(CommandAlias,
                [.. keys.Select((k, i) => (i == 0 ? CommandAlias : $"{CommandAlias}#{i + 1}", k))], command);
        }
        var (keyStore, _) = store.Value;
        return keyStore.Get(provider) is { Length: > 0 } stored
            ? new ResolvedKeys("stored key (" + keyStore.Name + ")", [("stored:" + keyStore.Name, stored)], null)
            : null;
    }

    /// <summary>Where the key of <paramref name="provider"/> would come from, without running a command or showing a
    /// key: <c>environment ($NAME)</c>, <c>api_key_command</c>, <c>stored key (STORE)</c>, <c>none</c>, or for Azure OpenAI
    /// without a key <see cref="EntraIdSource"/>.</summary>
    public string Source(string provider, ProviderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var names = config.ApiKeyEnv.Count > 0 ? config.ApiKeyEnv : [ProviderDescriptions.DefaultKeyVariable(provider)];
        if (names.FirstOrDefault(n => !string.IsNullOrWhiteSpace(getEnv(n))) is { } set)
        {
            return $"environment (${set})";
        }
        if (config.ApiKeyCommand is not null)
        {
            return CommandAlias;
        }
        try
        {
            var (keyStore, _) = store.Value;
            return keyStore.Get(provider) is { Length: > 0 } ? "stored key (" + keyStore.Name + ")"
                : provider == ProviderIds.Azure ? EntraIdSource : "none";
        }
        catch (SpecSynthException ex)
        {
            return (provider == ProviderIds.Azure ? EntraIdSource : "none") + " (" + ex.Message + ")";
        }
    }
}

/// <summary>A provider's keys from one source other than the environment.</summary>
/// <param name="Source">Where they came from (<c>api_key_command</c>, <c>stored key (file)</c>).</param>
/// <param name="Keys">Each key with its alias (named in messages and the ledger instead of the key).</param>
/// <param name="Command">The command that printed them (run again on a 401/403 and after its TTL), or <c>null</c>.</param>
internal sealed record ResolvedKeys(string Source, IReadOnlyList<(string Alias, string Key)> Keys, KeyCommand? Command);
