namespace SpecSynth.Batching;

/// <summary>What a poll of one batch answered.</summary>
/// <param name="RemoteId">The provider's batch id.</param>
/// <param name="Status">The provider's status word (<c>in_progress</c>, <c>ended</c>, <c>completed</c>, <c>failed</c>…).</param>
/// <param name="Ended">Whether the results are there (no more polling).</param>
/// <param name="Succeeded">Requests that succeeded, as the provider counts them so far.</param>
/// <param name="Failed">Requests that errored, expired or were cancelled, as the provider counts them so far.</param>
/// <param name="Total">Requests in the batch.</param>
/// <param name="ResultsUrl">Anthropic's <c>results_url</c>; OpenAI's output file id.</param>
/// <param name="ErrorsUrl">OpenAI's error file id; <c>null</c> for Anthropic.</param>
/// <param name="Failure">Why the whole batch failed (OpenAI <c>failed</c>), or <c>null</c>.</param>
internal sealed record BatchPoll(string RemoteId, string Status, bool Ended, int Succeeded, int Failed, int Total, string? ResultsUrl,
    string? ErrorsUrl, string? Failure);

/// <summary>One result line of a batch.</summary>
/// <param name="CustomId">The request it answers.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>errored</c>, <c>expired</c> or <c>canceled</c>.</param>
/// <param name="Status">The HTTP status the request would have had (200 for a success).</param>
/// <param name="Body">The response body the request would have had, in the provider's own format.</param>
internal sealed record BatchLine(string CustomId, string Outcome, int Status, string Body);

/// <summary>A batch call the provider refused (status and body as sent).</summary>
internal sealed class BatchHttpException(int status, string body, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Body { get; } = body;

    /// <summary>Worth asking again (429, 5xx).</summary>
    public bool Retryable => Status is 429 or >= 500;
}
