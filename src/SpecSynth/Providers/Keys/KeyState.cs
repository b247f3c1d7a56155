namespace SpecSynth.Providers.Keys;

/// <summary>What the rotation knows about one key: until when it cools down, or whether it is out for the run.</summary>
internal sealed class KeyState(ProviderKey key)
{
    public ProviderKey Key { get; } = key;

    /// <summary>Not used before this time (after a 429).</summary>
    public DateTimeOffset CoolingUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Why the key is out for the rest of the run (401/403/402, quota exhausted), or <c>null</c>.</summary>
    public string? Disabled { get; set; }

    public bool IsUsable(DateTimeOffset now) => Disabled is null && CoolingUntil <= now;
}
