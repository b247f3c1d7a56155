namespace SpecSynth.Providers.Keys;

/// <summary>Where <c>specsynth keys set</c> keeps API keys: the operating system's secret store, or a private file.</summary>
internal interface IKeyStore
{
    /// <summary>The store's name in messages and <c>keys list</c> (e.g. <c>secret-service</c>, <c>file</c>).</summary>
    string Name { get; }

    /// <summary>Where the keys are, for <c>keys path</c> (a file path, or the store's own description).</summary>
    string Location { get; }

    /// <summary>The stored key of <paramref name="provider"/>, or <c>null</c>.</summary>
    string? Get(string provider);

    /// <summary>Stores (or replaces) the key of <paramref name="provider"/>.</summary>
    void Set(string provider, string key);

    /// <summary>Removes the key of <paramref name="provider"/>; says whether there was one.</summary>
    bool Remove(string provider);
}
