namespace SpecSynth;

/// <summary>Where stored keys are kept.</summary>
/// <param name="Name">The store (<c>secret-service</c>, <c>file</c>).</param>
/// <param name="Location">The file, or the store's description.</param>
/// <param name="FallbackReason">Why the operating system's store is not used, or <c>null</c> when it is (or the file store was asked for).</param>
public sealed record ApiKeyStore(string Name, string Location, string? FallbackReason);
