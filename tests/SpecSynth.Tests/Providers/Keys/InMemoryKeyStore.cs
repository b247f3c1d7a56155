using SpecSynth.Providers.Keys;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>A stand-in for an operating system's secret store in the store-selection tests: keys in a dictionary.</summary>
internal sealed class InMemoryKeyStore(string name) : IKeyStore
{
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    public string Name => name;

    public string Location => $"in memory ({name})";

    public string? Get(string provider) => _keys.GetValueOrDefault(provider);

    public void Set(string provider, string key) => _keys[provider] = key;

    public bool Remove(string provider) => _keys.Remove(provider);
}
