namespace SpecSynth;

/// <summary>One stored key, without the key.</summary>
/// <param name="Provider">The provider (<c>claude</c>, <c>openai</c>, <c>ollama</c>).</param>
/// <param name="Store">The store holding it (<c>secret-service</c>, <c>file</c>).</param>
/// <param name="Fingerprint"><c>sha256:</c> and the first 8 hex digits of the key's SHA-256, to tell keys apart.</param>
public sealed record StoredApiKey(string Provider, string Store, string Fingerprint);
