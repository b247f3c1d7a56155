namespace SpecSynth.Providers;

/// <summary>An error a provider reported inside a 200 streamed body.</summary>
/// <param name="Message">The provider's message (not yet redacted).</param>
/// <param name="Code">An HTTP-like status code the payload carried, or <c>null</c>.</param>
internal sealed record StreamError(string Message, int? Code);
