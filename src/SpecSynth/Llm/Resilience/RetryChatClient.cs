using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SpecSynth.Llm.Providers;

namespace SpecSynth.Llm.Resilience;

/// <summary>
/// Retries transient failures (<see cref="ProviderException.IsRetryable"/>) of one provider with exponential backoff
/// and full jitter, never earlier than the server's retry-after. A stream that fails after updates were forwarded is
/// restarted as a whole: the observer hears <see cref="IResilienceObserver.OnStreamRestart"/> and the first update of
/// the new attempt carries <see cref="ResiliencePipeline.RestartProperty"/>.
/// </summary>
internal sealed class RetryChatClient(IChatClient inner, string provider, RetryOptions retry, TimeProvider time,
    IResilienceObserver observer, Random random) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            ProviderException failure;
            try
            {
                return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (ProviderException ex) when (ex.IsRetryable)
            {
                failure = ex;
            }
            await WaitBeforeRetryAsync(attempt, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var restart = false;
        for (var attempt = 1; ; attempt++)
        {
            ProviderException? failure = null;
            var yielded = false;
            var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (updates.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (ProviderException ex) when (ex.IsRetryable)
                    {
                        failure = ex;
                        break;
                    }
                    var update = updates.Current;
                    if (restart)
                    {
                        ResiliencePipeline.MarkRestart(update);
                        restart = false;
                    }
                    yielded = true;
                    yield return update;
                }
            }
            if (failure is null)
            {
                yield break;
            }
            var delay = NextDelay(attempt, failure);
            if (yielded)
            {
                observer.OnStreamRestart(provider, attempt, failure);
                restart = true;
            }
            await WaitAsync(attempt, delay, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task WaitBeforeRetryAsync(int attempt, ProviderException failure, CancellationToken cancellationToken) =>
        WaitAsync(attempt, NextDelay(attempt, failure), failure, cancellationToken);

    private async Task WaitAsync(int attempt, TimeSpan delay, ProviderException failure, CancellationToken cancellationToken)
    {
        observer.OnRetry(provider, attempt, delay, failure);
        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, or the exception to give up with.</summary>
    internal TimeSpan NextDelay(int attempt, ProviderException failure)
    {
        if (failure.RetryAfter is { } asked && asked > retry.MaxServerDelay)
        {
            throw GiveUp(failure, $"the server asked to wait {asked.TotalSeconds:0.#} s, longer than the {retry.MaxServerDelay.TotalSeconds:0.#} s we wait");
        }
        if (attempt >= retry.MaxAttempts)
        {
            throw GiveUp(failure, $"gave up after {attempt} attempt{(attempt == 1 ? "" : "s")}");
        }
        var backoff = retry.InitialDelay.TotalMilliseconds * Math.Pow(retry.ExponentialBase, attempt - 1);
        backoff = Math.Min(backoff, retry.MaxDelay.TotalMilliseconds);
        if (retry.Jitter)
        {
            backoff *= random.NextDouble();
        }
        var delay = TimeSpan.FromMilliseconds(backoff);
        return failure.RetryAfter is { } server && server > delay ? server : delay;
    }

    private static ProviderException GiveUp(ProviderException failure, string why) =>
        new(failure.Kind, failure.Provider, $"{failure.Message} ({why})", failure.StatusCode, failure.IsRetryable,
            failure.RetryAfter, failure);
}
