namespace SpecSynth;

/// <summary>A batch specsynth submitted (<c>specsynth batch list</c>, <c>batch status ID</c>, <c>generate --batch --json</c>).</summary>
/// <param name="Id">specsynth's id of the batch (<c>specsynth batch resume ID</c>).</param>
/// <param name="Provider">The provider (<c>claude</c>, <c>openai</c>).</param>
/// <param name="RemoteId">The provider's batch id, or <c>null</c> while the submission is not confirmed.</param>
/// <param name="Status">specsynth's view: <c>submitting</c>, the provider's last status (<c>in_progress</c>, <c>ended</c>,
/// <c>completed</c>…), <c>done</c> once every result was taken, or <c>failed</c>.</param>
/// <param name="CreatedAt">When it was submitted.</param>
/// <param name="Project">The project folder.</param>
/// <param name="Specs">Its requests, one per spec.</param>
public sealed record BatchInfo(string Id, string Provider, string? RemoteId, string Status, DateTimeOffset CreatedAt, string Project,
    IReadOnlyList<BatchSpecInfo> Specs);

/// <summary>One spec's request in a batch.</summary>
/// <param name="Spec">The spec (full path, or its name).</param>
/// <param name="CustomId">The request's <c>custom_id</c> (from the spec and the planned prompt's hash).</param>
/// <param name="PromptHash">The SHA-256 of the request as planned (hex).</param>
/// <param name="State"><c>planned</c>, <c>submitted</c>, <c>succeeded</c>, <c>errored</c>, <c>expired</c>, <c>canceled</c>,
/// <c>written</c> (its files are written), <c>failed</c> (its reply did not give usable files) or <c>resubmitted</c> (sent again in a
/// newer batch, named in <paramref name="Error"/>: its batch was never accepted, or <c>--retry-failed</c>).</param>
/// <param name="Error">The provider's error for an errored, expired or canceled request, or why the spec failed; else <c>null</c>.</param>
public sealed record BatchSpecInfo(string Spec, string CustomId, string PromptHash, string State, string? Error);
