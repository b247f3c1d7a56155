using Microsoft.Extensions.AI;
using SpecSynth.Providers;
using SpecSynth.Providers.Keys;
using SpecSynth.Middleware;
using SpecSynth.Tests.Middleware;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>Several keys per provider over the fake servers: rotation on 429 and 401, cool-downs on the fake clock, no key values anywhere.</summary>
public sealed class KeyRotationTests : IAsyncDisposable
{
    private readonly Harness h = new();
    private readonly List<IChatClient> owned = [];

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task A429OnTheFirstKey_GoesOnWithTheNextAtOnce_AndTheFirstIsBackAfterItsCoolDown(string provider)
    {
        var server = await KeyedServer.StartAsync(provider, h);
        server.Script("KEY_A", ProviderWire.Error(provider, 429, "slow down"));
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B"));

        // Not driven: the fake clock must not move on while the call is in flight (the next key answers at once).
        var first = await client.GetResponseAsync("write the code");
        Assert.Equal("answered with KEY_B", first.Text);
        Assert.Equal("KEY_B", first.AdditionalProperties![ResiliencePipeline.KeyAliasProperty]);
        Assert.Empty(h.Events("retry"));
        var coolDown = Assert.Single(h.Events("key_cool_down"));
        Assert.Equal(TimeSpan.FromSeconds(60), coolDown.Delay);
        Assert.Contains("KEY_A", coolDown.Reason, StringComparison.Ordinal);
        Assert.Empty(h.Events("rate_limit_wait"));

        // Still cooling: B again.
        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("answered with KEY_B", (await client.GetResponseAsync("again")).Text);

        // Cooled down: round-robin comes back to A.
        h.Time.Advance(TimeSpan.FromSeconds(31));
        var third = await client.GetResponseAsync("and again");
        Assert.Equal("answered with KEY_A", third.Text);
        Assert.Equal("KEY_A", third.AdditionalProperties![ResiliencePipeline.KeyAliasProperty]);
        Assert.Equal(["KEY_A", "KEY_B", "KEY_B", "KEY_A"], server.KeysUsed);
    }

    [Fact]
    public async Task TheCoolDown_IsTheServersRetryAfter_WhenItGivesOne()
    {
        var server = await KeyedServer.StartAsync("claude", h);
        server.Script("KEY_A", ProviderWire.Error("claude", 429).WithHeader("retry-after", "5"));
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B"));

        // Not driven (see above): under load a driven call moved the fake clock past the 5 s cool-down.
        await client.GetResponseAsync("write the code");
        h.Time.Advance(TimeSpan.FromSeconds(4));
        await client.GetResponseAsync("b still");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await client.GetResponseAsync("a is back");
        await client.GetResponseAsync("b");

        Assert.Equal(TimeSpan.FromSeconds(5), Assert.Single(h.Events("key_cool_down")).Delay);
        Assert.Equal(["KEY_A", "KEY_B", "KEY_B", "KEY_A", "KEY_B"], server.KeysUsed);
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task A401OnTheFirstKey_TakesItOutForTheRun_NamingTheVariable_NeverTheValue(string provider)
    {
        var server = await KeyedServer.StartAsync(provider, h);
        server.Script("KEY_A", ProviderWire.Error(provider, 401, "invalid x-api-key"));
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B"));

        var first = await h.AskAsync(client);
        h.Time.Advance(TimeSpan.FromHours(3));
        var later = await client.GetResponseAsync("later");
        var stream = await h.StreamAsync(client);

        Assert.Equal("answered with KEY_B", first.Text);
        Assert.Equal("answered with KEY_B", later.Text);
        Assert.Equal("answered with KEY_B", stream.Response.Text);
        Assert.Equal(["KEY_A", "KEY_B", "KEY_B", "KEY_B"], server.KeysUsed);
        var rejected = Assert.Single(h.Events("key_rejected"));
        Assert.Contains("KEY_A", rejected.ToString(), StringComparison.Ordinal);
        Assert.Contains("not used again", rejected.Reason, StringComparison.Ordinal);
        AssertNoKeyIn(string.Join("\n", h.Observer.Events));
    }

    [Fact]
    public async Task A403_AndAnExhaustedQuota_AlsoTakeTheKeyOut()
    {
        var server = await KeyedServer.StartAsync("openai", h);
        server.Script("KEY_A", ProviderWire.Error("openai", 403, "forbidden"));
        server.Script("KEY_B", Fakes.OpenAIWire.Error(429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota"));
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B", "KEY_C"));

        var answer = await h.AskAsync(client);
        await client.GetResponseAsync("twice");

        Assert.Equal("answered with KEY_C", answer.Text);
        Assert.Equal(["KEY_A", "KEY_B", "KEY_C", "KEY_C"], server.KeysUsed);
        Assert.Equal(2, h.Events("key_rejected").Count());
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task EveryKeyRateLimited_TheRetryLayerWaitsForTheFirstKeyBack(string provider)
    {
        var server = await KeyedServer.StartAsync(provider, h);
        server.Script("KEY_A", ProviderWire.Error(provider, 429).WithHeader("retry-after", "20"));
        server.Script("KEY_B", ProviderWire.Error(provider, 429).WithHeader("retry-after", "40"));
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B"));

        var response = await h.AskAsync(client);

        Assert.Equal("answered with KEY_A", response.Text);
        var retry = Assert.Single(h.Events("retry"));
        // The fake clock moves on while the HTTP calls are in flight (by how much depends on the machine's load), so the wait
        // is checked against the clock, not as a fixed figure: it ends 20 s after A's 429 (A back), counted from somewhere
        // between A's call and the retry's decision, and not 40 s after (B back).
        var waitEnds = retry.At + retry.Delay;
        Assert.True(retry.Delay > TimeSpan.Zero, $"waited {retry.Delay}");
        Assert.True(waitEnds >= server.Calls[0].At + TimeSpan.FromSeconds(20) && waitEnds <= retry.At + TimeSpan.FromSeconds(20),
            $"waited {retry.Delay} from {retry.At:O}; A asked at {server.Calls[0].At:O}");
        Assert.Contains("every key is cooling down", retry.Reason, StringComparison.Ordinal);
        Assert.Equal(["KEY_A", "KEY_B", "KEY_A"], server.KeysUsed);
        Assert.True(server.Calls[2].At - server.Calls[0].At >= TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task EveryKeyRateLimitedForLong_TheCallFails_OnceItsWaitsPassMaxServerDelay()
    {
        var server = await KeyedServer.StartAsync("claude", h);
        var limited = ProviderWire.Error("claude", 429).WithHeader("retry-after", "2");
        server.Script("KEY_A", limited, limited, limited, limited);
        server.Script("KEY_B", limited, limited, limited, limited);
        h.Options = h.Options with { Retry = h.Options.Retry with { MaxServerDelay = TimeSpan.FromSeconds(5) } };
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => h.AskAsync(client));

        Assert.True(error.IsRetryable);
        Assert.Contains("KEY_A, KEY_B", error.Message, StringComparison.Ordinal);
        // 429s do not use up attempts: the call waits them out until their waits would pass 5 s in all.
        Assert.Contains("max_server_delay", error.Message, StringComparison.Ordinal);
        Assert.InRange(server.KeysUsed.Count, 3, 8);
        Assert.InRange(h.Events("retry").Count(), 1, 5);
        AssertNoKeyIn(error.ToString());
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task EveryKeyRejected_IsAnAuthErrorNamingEachVariable(string provider)
    {
        var server = await KeyedServer.StartAsync(provider, h);
        server.Script("KEY_A", ProviderWire.Error(provider, 401, "bad key"));
        server.Script("KEY_B", ProviderWire.Error(provider, 401, "bad key"));
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B"));

        var error = await Assert.ThrowsAsync<ProviderException>(() => h.AskAsync(client));
        var again = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("again"));

        Assert.Equal(ErrorKind.Auth, error.Kind);
        Assert.Contains("KEY_A (HTTP 401), KEY_B (HTTP 401)", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorKind.Auth, again.Kind);
        Assert.Equal(2, server.KeysUsed.Count);
        AssertNoKeyIn(error + "\n" + again + "\n" + string.Join("\n", h.Observer.Events));
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task AStream_MovesToTheNextKeyBeforeItsFirstUpdate_WithoutARestart(string provider)
    {
        var server = await KeyedServer.StartAsync(provider, h);
        server.Script("KEY_A", ProviderWire.Error(provider, 429, "slow down"));
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B"));

        var aliases = new List<object?>();
        var (response, restarts, _) = await h.DriveAsync(async () =>
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync("go"))
            {
                updates.Add(update);
                aliases.Add(update.AdditionalProperties?.GetValueOrDefault(ResiliencePipeline.KeyAliasProperty));
            }
            return (updates.ToChatResponse(), updates.Count(ResiliencePipeline.IsRestart), 0);
        });

        Assert.Equal("answered with KEY_B", response.Text);
        Assert.Equal(0, restarts);
        Assert.Equal("KEY_B", aliases[0]);
        Assert.Equal(["KEY_A", "KEY_B"], server.KeysUsed);
    }

    [Fact]
    public async Task ServerErrors_AreNotAboutTheKey_AndAreRetriedAsBefore()
    {
        var server = await KeyedServer.StartAsync("claude", h);
        server.Script("KEY_A", ProviderWire.Error("claude", 529));
        var client = h.Build(server.Link(h, owned, "KEY_A", "KEY_B"));

        var response = await h.AskAsync(client);

        Assert.Empty(h.Events("key_cool_down"));
        Assert.Single(h.Events("retry"));
        Assert.Equal("answered with KEY_B", response.Text); // round-robin: the retry starts at the next key
    }

    [Fact]
    public async Task RoundRobin_SpreadsCallsOverTheKeys_EachWithItsOwnRateLimitBucket()
    {
        var server = await KeyedServer.StartAsync("openai", h);
        var link = server.Link(h, owned, "KEY_A", "KEY_B") with { RateLimit = new RateLimitOptions { RequestsPerMinute = 1 } };
        var client = h.Build(link);

        await client.GetResponseAsync("one");
        await client.GetResponseAsync("two");
        Assert.Empty(h.Events("rate_limit_wait"));
        var third = await h.DriveAsync(() => client.GetResponseAsync("three"), TimeSpan.FromSeconds(5));

        Assert.Equal(["KEY_A", "KEY_B", "KEY_A"], server.KeysUsed);
        var wait = Assert.Single(h.Events("rate_limit_wait"));
        Assert.True(wait.Delay >= TimeSpan.FromSeconds(55), $"waited {wait.Delay}");
        Assert.Equal("answered with KEY_A", third.Text);
    }

    [Fact]
    public async Task ASingleKey_IsStampedOnTheResponse_AndItsErrorsAreUntouched()
    {
        var server = await KeyedServer.StartAsync("claude", h);
        server.Script("KEY_A", ProviderWire.Error("claude", 401, "bad key"));
        var link = server.Link(h, owned, "KEY_A") with { Keys = null };
        var client = h.Build(link);

        var error = await Assert.ThrowsAsync<ProviderException>(() => h.AskAsync(client));
        var response = await client.GetResponseAsync("again");

        Assert.Contains("rejected the API key from KEY_A", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Events("key_rejected"));
        Assert.Equal("KEY_A", response.AdditionalProperties![ResiliencePipeline.KeyAliasProperty]);
    }

    [Theory]
    [MemberData(nameof(ProviderWire.Providers), MemberType = typeof(ProviderWire))]
    public async Task ASingleKeysStream_StampsItsFirstUpdateOnly_AndItsErrorsAreUntouched(string provider)
    {
        var server = await KeyedServer.StartAsync(provider, h);
        server.Script("KEY_A", ProviderWire.Error(provider, 401, "bad key"));
        var client = h.Build(server.Link(h, owned, "KEY_A") with { Keys = null });

        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("go"))
            {
            }
        });
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("again"))
        {
            updates.Add(update);
        }

        Assert.Equal(401, error.StatusCode);
        Assert.Empty(h.Events("key_rejected"));
        Assert.Equal("answered with KEY_A", updates.ToChatResponse().Text);
        Assert.Equal("KEY_A", updates[0].AdditionalProperties![ResiliencePipeline.KeyAliasProperty]);
        Assert.All(updates.Skip(1), u => Assert.False(u.AdditionalProperties?.ContainsKey(ResiliencePipeline.KeyAliasProperty) ?? false));
    }

    [Fact]
    public async Task ASingleKeysStream_StartsWhenFirstMoved_DisposesTheKeysStream_AndEnumeratesAgainAfresh()
    {
        var inner = new StreamScriptClient((["a", "b"], ChatFinishReason.Stop, null), (["c"], null, new InvalidOperationException("cut")),
            (["d"], ChatFinishReason.Stop, null));
        var disposals = new List<string>();
        using var watched = new DisposalWatch(inner, disposals);
        using var rotating = new KeyRotatingChatClient("openai", [new ProviderKey("KEY_A", watched)], TimeSpan.FromSeconds(1),
            TimeProvider.System, NullResilienceObserver.Instance);

        var stream = rotating.GetStreamingResponseAsync("one");
        Assert.Empty(inner.Requests);
        var texts = new List<string>();
        await foreach (var update in stream)
        {
            texts.Add(update.Text);
        }
        Assert.Equal(["a", "b", ""], texts);
        Assert.Equal(["disposed"], disposals);

        var failed = rotating.GetStreamingResponseAsync("two").GetAsyncEnumerator();
        Assert.True(await failed.MoveNextAsync());
        Assert.Equal("KEY_A", failed.Current.AdditionalProperties![ResiliencePipeline.KeyAliasProperty]);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await failed.MoveNextAsync());
        await failed.DisposeAsync();
        Assert.Equal(["disposed", "disposed"], disposals);

        texts.Clear();
        await foreach (var update in stream) // the first stream again: a call of its own
        {
            texts.Add(update.Text);
        }
        Assert.Equal(["d", ""], texts);
        Assert.Equal(3, inner.Requests.Count);
        Assert.Equal("one", inner.Requests[2].Single().Text);
    }

    /// <summary>A client whose streams note their disposal.</summary>
    private sealed class DisposalWatch(IChatClient inner, List<string> disposals) : DelegatingChatClient(inner)
    {
        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
            ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            try
            {
                await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
                {
                    yield return update;
                }
            }
            finally
            {
                disposals.Add("disposed");
            }
        }
    }

    private static void AssertNoKeyIn(string text)
    {
        foreach (var value in KeyedServer.Keys.Values)
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
            Assert.DoesNotContain(value[..12], text, StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in owned)
        {
            client.Dispose();
        }
        await h.DisposeAsync();
    }
}
