using System.Runtime.CompilerServices;

namespace SpecSynth.Middleware;

/// <summary>
/// Lets a middleware see the failures of a stream it passes on: C# cannot <c>yield</c> inside a <c>try</c> with a
/// <c>catch</c>, so each layer would otherwise hand-write the same enumerator loop.
/// </summary>
internal static class StreamFailures
{
    /// <summary>Yields <paramref name="source"/>'s items. An exception from the source goes to
    /// <paramref name="onFailure"/>, which may throw a replacement; if it returns, the original is rethrown.</summary>
    public static async IAsyncEnumerable<T> Observe<T>(IAsyncEnumerable<T> source, Action<Exception> onFailure,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var items = source.GetAsyncEnumerator(cancellationToken);
        await using (items.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await items.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex)
                {
                    onFailure(ex);
                    throw;
                }
                yield return items.Current;
            }
        }
    }
}
