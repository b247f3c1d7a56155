using SpecSynth.Providers;
using SpecSynth.Providers.Keys;

namespace SpecSynth;

/// <summary>
/// The API keys kept by <c>specsynth keys</c>: in the operating system's secret store (Linux: the Secret Service over
/// D-Bus; macOS: the Keychain; Windows: the Credential Manager), or where there is none, in <c>keys.json</c> in the state folder with mode 0600 (refused when others may read
/// it). A stored key is used only when no key variable is set and no <c>api_key_command</c> is configured. Keys are
/// never returned, only their fingerprints.
/// </summary>
public static class ApiKeys
{
    /// <summary>The providers a key can be stored for.</summary>
    public static IReadOnlyList<string> Providers { get; } = [ProviderIds.Claude, ProviderIds.OpenAI, ProviderIds.Azure, ProviderIds.Ollama];

    /// <summary>The store <c>keys set</c> would use, and why the operating system's is not used (when it is not).</summary>
    /// <param name="environment">Reads an environment variable (<c>SPECSYNTH_KEY_STORE</c>, the state folder, the D-Bus
    /// session); <c>null</c> for the process environment.</param>
    /// <exception cref="SpecSynthException"><c>SPECSYNTH_KEY_STORE</c> names a store that cannot be used.</exception>
    public static ApiKeyStore Store(Func<string, string?>? environment = null)
    {
        var (store, reason) = KeyStores.Open(environment ?? Environment.GetEnvironmentVariable);
        return new ApiKeyStore(store.Name, store.Location, reason);
    }

    /// <summary>Stores (or replaces) the key of <paramref name="provider"/>.</summary>
    /// <param name="provider"><c>claude</c> (or <c>anthropic</c>), <c>openai</c> or <c>ollama</c>.</param>
    /// <param name="key">The key (surrounding blanks are removed).</param>
    /// <param name="environment">Reads an environment variable; <c>null</c> for the process environment.</param>
    /// <returns>The stored key's provider, store and fingerprint.</returns>
    /// <exception cref="SpecSynthException">An unknown provider or an empty key (<see cref="ErrorKind.InvalidInput"/>), or
    /// the store refused it (<see cref="ErrorKind.Auth"/>).</exception>
    public static StoredApiKey Set(string provider, string key, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var id = Id(provider);
        var trimmed = key.Trim();
        if (trimmed.Length == 0 || trimmed.Contains('\n', StringComparison.Ordinal))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"the key for {id} must be one non-empty line");
        }
        var (store, _) = KeyStores.Open(environment ?? Environment.GetEnvironmentVariable);
        store.Set(id, trimmed);
        return new StoredApiKey(id, store.Name, KeyStores.Fingerprint(trimmed));
    }

    /// <summary>The stored keys, one per provider that has one, in <see cref="Providers"/> order.</summary>
    /// <param name="environment">Reads an environment variable; <c>null</c> for the process environment.</param>
    /// <exception cref="SpecSynthException">The key file is readable by others, or the store failed (<see cref="ErrorKind.Auth"/>).</exception>
    public static IReadOnlyList<StoredApiKey> List(Func<string, string?>? environment = null)
    {
        var (store, _) = KeyStores.Open(environment ?? Environment.GetEnvironmentVariable);
        return [.. Providers.Select(p => (Provider: p, Key: store.Get(p)))
            .Where(k => !string.IsNullOrEmpty(k.Key))
            .Select(k => new StoredApiKey(k.Provider, store.Name, KeyStores.Fingerprint(k.Key!)))];
    }

    /// <summary>Removes the stored key of <paramref name="provider"/>; says whether there was one.</summary>
    /// <param name="provider"><c>claude</c>, <c>openai</c> or <c>ollama</c>.</param>
    /// <param name="environment">Reads an environment variable; <c>null</c> for the process environment.</param>
    /// <exception cref="SpecSynthException">An unknown provider, or the store failed.</exception>
    public static bool Remove(string provider, Func<string, string?>? environment = null)
    {
        var id = Id(provider);
        var (store, _) = KeyStores.Open(environment ?? Environment.GetEnvironmentVariable);
        return store.Remove(id);
    }

    private static string Id(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var id = ProviderIds.Normalize(provider);
        return id is not null && Providers.Contains(id)
            ? id
            : throw new SpecSynthException(ErrorKind.InvalidInput, $"unknown provider '{provider}': use {string.Join(", ", Providers)}");
    }
}
