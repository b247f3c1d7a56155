using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Caching;
using SpecSynth.Middleware;

namespace SpecSynth.Tests.Caching;

public sealed class ResponseCachingChatClientTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteDistributedCache _store;
    private readonly StreamingFakeClient _inner = new();

    public ResponseCachingChatClientTests() => _store = new SqliteDistributedCache(_dir.Combine("responses.db"), _time);

    private static readonly ChatMessage[] Messages = [new(ChatRole.System, "You write code."), new(ChatRole.User, "Implement the spec.")];

    private ResponseCachingChatClient Client(CacheMode mode = CacheMode.ReadWrite, string[]? chain = null, TimeSpan? ttl = null) =>
        new(_inner, _store, mode, ttl ?? TimeSpan.FromHours(168), chain ?? ["claude|claude-sonnet-4-5|16000||"]);

    private static ChatOptions Options(string template = "t1", Action<ChatOptions>? change = null)
    {
        var options = new ChatOptions { AdditionalProperties = new() { [ResponseCache.TemplateVersionProperty] = template } };
        change?.Invoke(options);
        return options;
    }

    private static async Task<List<ChatResponseUpdate>> StreamAsync(IChatClient client, ChatOptions? options = null, IEnumerable<ChatMessage>? messages = null)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages ?? Messages, options ?? Options()))
        {
            updates.Add(update);
        }
        return updates;
    }

    [Fact]
    public async Task A_repeated_request_is_answered_from_the_cache_and_marked_as_a_hit()
    {
        var client = Client();
        var first = await client.GetResponseAsync(Messages, Options());
        var second = await client.GetResponseAsync(Messages, Options());
        Assert.Equal(1, _inner.Calls);
        Assert.False(ResponseCache.IsHit(first));
        Assert.True(ResponseCache.IsHit(second));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(ChatFinishReason.Stop, second.FinishReason);
        Assert.Equal(100, second.Usage?.InputTokenCount);
        Assert.Equal(50, second.Usage?.OutputTokenCount);
        Assert.Equal("claude", second.AdditionalProperties?[ResiliencePipeline.ProviderProperty]);
    }

    [Fact]
    public async Task A_streaming_hit_replays_as_a_stream_with_the_same_text_usage_and_provider()
    {
        _inner.Reply = string.Concat(Enumerable.Repeat("0123456789abcdefghij", 40));
        var client = Client();
        var live = await StreamAsync(client);
        var replay = await StreamAsync(client);
        Assert.Equal(1, _inner.Calls);
        Assert.True(replay.Count > 1, $"a replay should be a stream of several updates, got {replay.Count}");
        Assert.True(ResponseCache.IsHit(replay[0]));
        Assert.DoesNotContain(replay.Skip(1), ResponseCache.IsHit);
        Assert.DoesNotContain(live, ResponseCache.IsHit);
        var replayed = replay.ToChatResponse();
        Assert.Equal(live.ToChatResponse().Text, replayed.Text);
        Assert.Equal(_inner.Reply, replayed.Text);
        Assert.Equal(100, replayed.Usage?.InputTokenCount);
        Assert.Equal(50, replayed.Usage?.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, replayed.FinishReason);
        Assert.Equal("claude", replay[0].AdditionalProperties?[ResiliencePipeline.ProviderProperty]);
        Assert.Equal("model-x", replayed.ModelId);
    }

    [Fact]
    public async Task A_streamed_miss_stores_the_entry_of_every_update_it_streamed_short_or_long()
    {
        var client = Client();
        foreach (var length in new[] { 5, 160, 161, 1000 })
        {
            _inner.Reply = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));
            var options = Options("len" + length);
            var live = await StreamAsync(client, options);
            Assert.Equal((length + 9) / 10 + 1, live.Count);
            var stored = _store.Get(client.KeyFor(Messages, options));
            Assert.Equal(ResponseCacheCodec.SerializeReply(live, 256), stored);
            // The pooled arrays given back hold nothing of this reply (cleared); a second stream is not mixed with the first.
            var again = await StreamAsync(client, Options("other" + length));
            Assert.Equal(_inner.Reply, again.ToChatResponse().Text);
        }
    }

    [Fact]
    public async Task Streaming_and_non_streaming_calls_share_entries()
    {
        var client = Client();
        await StreamAsync(client);
        var whole = await client.GetResponseAsync(Messages, Options());
        Assert.Equal(1, _inner.Calls);
        Assert.True(ResponseCache.IsHit(whole));
        Assert.Equal(_inner.Reply, whole.Text);
    }

    [Fact]
    public void The_key_changes_with_everything_that_changes_the_reply()
    {
        var client = Client();
        var baseline = client.KeyFor(Messages, Options());
        Assert.Equal(baseline, client.KeyFor(Messages, Options()));
        string[] changed =
        [
            client.KeyFor(Messages, Options(change: o => o.ModelId = "claude-haiku-4-5")),
            client.KeyFor(Messages, Options(change: o => o.Temperature = 0.2f)),
            client.KeyFor(Messages, Options(change: o => o.MaxOutputTokens = 1000)),
            client.KeyFor(Messages, Options(change: o => o.TopP = 0.5f)),
            client.KeyFor(Messages, Options(change: o => o.AdditionalProperties!["num_ctx"] = 4096)),
            client.KeyFor(Messages, Options(template: "t2")),
            client.KeyFor([Messages[0], new(ChatRole.User, "Implement the spec!")], Options()),
            client.KeyFor([new(ChatRole.System, "You write tests."), Messages[1]], Options()),
            client.KeyFor(Messages, null),
            Client(chain: ["claude|claude-opus-4-1|16000||"]).KeyFor(Messages, Options()),
            Client(chain: ["claude|claude-sonnet-4-5|8000||"]).KeyFor(Messages, Options()),
            Client(chain: ["claude|claude-sonnet-4-5|16000||", "openai|gpt-4.1|16000||"]).KeyFor(Messages, Options()),
        ];
        Assert.DoesNotContain(baseline, changed);
        Assert.Equal(changed.Length, changed.Distinct().Count());
    }

    [Fact]
    public void Specsynth_properties_that_only_describe_the_call_do_not_enter_the_key()
    {
        var client = Client();
        var baseline = client.KeyFor(Messages, Options());
        var described = client.KeyFor(Messages, Options(change: o =>
        {
            o.AdditionalProperties!["specsynth.operation"] = "generate";
            o.AdditionalProperties["specsynth.spec"] = "todo.md";
            o.AdditionalProperties["specsynth.run_id"] = Guid.NewGuid().ToString();
        }));
        Assert.Equal(baseline, described);
    }

    [Fact]
    public async Task The_template_version_property_is_not_sent_to_the_provider()
    {
        var client = Client();
        await client.GetResponseAsync(Messages, Options(change: o => o.AdditionalProperties!["specsynth.operation"] = "generate"));
        Assert.False(_inner.LastOptions?.AdditionalProperties?.ContainsKey(ResponseCache.TemplateVersionProperty) ?? false);
        Assert.Equal("generate", _inner.LastOptions?.AdditionalProperties?["specsynth.operation"]);
    }

    [Fact]
    public async Task Errors_are_not_cached()
    {
        var client = Client();
        _inner.FailAfter = 0;
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync(Messages, Options()));
        await Assert.ThrowsAsync<HttpRequestException>(() => StreamAsync(client));
        _inner.FailAfter = 3;
        await Assert.ThrowsAsync<HttpRequestException>(() => StreamAsync(client));
        Assert.Equal((0L, 0L), await _store.CountAsync());
        _inner.FailAfter = null;
        var answer = await client.GetResponseAsync(Messages, Options());
        Assert.False(ResponseCache.IsHit(answer));
    }

    [Fact]
    public async Task Cancelled_and_abandoned_streams_are_not_cached()
    {
        var client = Client();
        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Messages, Options(), cts.Token))
            {
                await cts.CancelAsync();
            }
        });
        await foreach (var update in client.GetStreamingResponseAsync(Messages, Options()))
        {
            break;
        }
        Assert.Equal((0L, 0L), await _store.CountAsync());
        Assert.Equal(2, _inner.Calls);
    }

    [Theory]
    [InlineData("length")]
    [InlineData("content_filter")]
    public async Task Truncated_or_filtered_replies_are_not_cached(string reason)
    {
        _inner.FinishReason = new ChatFinishReason(reason);
        var client = Client();
        await client.GetResponseAsync(Messages, Options());
        await StreamAsync(client);
        await client.GetResponseAsync(Messages, Options());
        Assert.Equal(3, _inner.Calls);
        Assert.Equal((0L, 0L), await _store.CountAsync());
    }

    [Fact]
    public async Task A_restarted_stream_is_not_cached()
    {
        _inner.RestartAt = 2;
        var client = Client();
        await StreamAsync(client);
        await StreamAsync(client);
        Assert.Equal(2, _inner.Calls);
        Assert.Equal((0L, 0L), await _store.CountAsync());
    }

    [Fact]
    public async Task Refresh_skips_the_read_but_stores_the_new_reply()
    {
        await Client().GetResponseAsync(Messages, Options());
        _inner.Reply = "```csharp path=src/A.cs\nclass A { int x; }\n```";
        var refreshed = await Client(CacheMode.Refresh).GetResponseAsync(Messages, Options());
        Assert.False(ResponseCache.IsHit(refreshed));
        Assert.Equal(2, _inner.Calls);
        var after = await Client().GetResponseAsync(Messages, Options());
        Assert.True(ResponseCache.IsHit(after));
        Assert.Equal(_inner.Reply, after.Text);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task Off_neither_reads_nor_writes()
    {
        await Client().GetResponseAsync(Messages, Options());
        var off = Client(CacheMode.Off);
        var answer = await off.GetResponseAsync(Messages, Options());
        await StreamAsync(off, messages: [new(ChatRole.User, "something new")]);
        Assert.False(ResponseCache.IsHit(answer));
        Assert.Equal(3, _inner.Calls);
        Assert.Equal(1, (await _store.CountAsync()).Entries);
    }

    [Fact]
    public async Task Entries_expire_after_the_ttl()
    {
        var client = Client(ttl: TimeSpan.FromHours(2));
        await client.GetResponseAsync(Messages, Options());
        _time.Advance(TimeSpan.FromMinutes(119));
        Assert.True(ResponseCache.IsHit(await client.GetResponseAsync(Messages, Options())));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(ResponseCache.IsHit(await client.GetResponseAsync(Messages, Options())));
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task Hits_and_misses_are_reported()
    {
        var lookups = new List<bool>();
        var client = new ResponseCachingChatClient(_inner, _store, CacheMode.ReadWrite, TimeSpan.FromHours(1), ["x"], lookups.Add);
        await client.GetResponseAsync(Messages, Options());
        await client.GetResponseAsync(Messages, Options());
        await StreamAsync(client);
        Assert.Equal([false, true, true], lookups);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Inside_a_commit_scope_a_reply_is_stored_only_when_committed(bool stream)
    {
        var client = Client();
        using (ResponseCacheCommit.Begin())
        {
            // Refused by the caller (say, an unsafe path): the scope ends uncommitted.
            await AskAsync(client, stream);
        }
        Assert.Equal(0, (await _store.CountAsync()).Entries);
        using (var accepted = ResponseCacheCommit.Begin())
        {
            await AskAsync(client, stream);
            Assert.Equal(1, accepted.Count);
            Assert.Equal(0, (await _store.CountAsync()).Entries);
            await accepted.CommitAsync();
        }
        Assert.Equal(1, (await _store.CountAsync()).Entries);
        Assert.True(ResponseCache.IsHit(await client.GetResponseAsync(Messages, Options())));
        Assert.Equal(2, _inner.Calls);
    }

    private static async Task AskAsync(IChatClient client, bool stream)
    {
        if (stream)
        {
            await StreamAsync(client);
        }
        else
        {
            await client.GetResponseAsync(Messages, Options());
        }
    }

    [Fact]
    public async Task A_committed_inner_scope_hands_its_replies_to_the_outer_scope()
    {
        var client = Client();
        using (ResponseCacheCommit.Begin())
        {
            using var inner = ResponseCacheCommit.Begin();
            await client.GetResponseAsync(Messages, Options());
            await inner.CommitAsync();
        }
        Assert.Equal(0, (await _store.CountAsync()).Entries);
        Assert.Null(ResponseCacheCommit.Current);
    }

    [Fact]
    public void The_key_is_unambiguous_where_plain_concatenation_would_not_be()
    {
        var client = Client();
        ChatOptions? none = null;
        string Key(params ChatMessage[] messages) => client.KeyFor(messages, none);
        string[] keys =
        [
            Key(new ChatMessage(ChatRole.User, "ab"), new ChatMessage(ChatRole.User, "c")),
            Key(new ChatMessage(ChatRole.User, "a"), new ChatMessage(ChatRole.User, "bc")),
            Key(new ChatMessage(ChatRole.User, "abc")),
            Key(new ChatMessage(ChatRole.User, [new TextContent("ab"), new TextContent("c")])),
            Key(new ChatMessage(ChatRole.System, "abc")),
            Key(new ChatMessage(ChatRole.User, "abc") { AuthorName = "a" }),
            Key(new ChatMessage(ChatRole.User, "abc") { MessageId = "m1" }),
            Key(new ChatMessage(ChatRole.User, "\uD800x")),
            Key(new ChatMessage(ChatRole.User, "\uFFFDx")),
            Key(new ChatMessage(ChatRole.User, "abc") { AdditionalProperties = new() { ["n"] = "1" } }),
            Key(new ChatMessage(ChatRole.User, "abc") { AdditionalProperties = new() { ["n"] = 1 } }),
            Key(new ChatMessage(ChatRole.User, "abc") { AdditionalProperties = new() { ["n"] = 1L } }),
            Key(new ChatMessage(ChatRole.User, "abc") { AdditionalProperties = new() { ["n"] = null } }),
            client.KeyFor([new(ChatRole.User, "abc")], new ChatOptions()),
            client.KeyFor([new(ChatRole.User, "abc")], new ChatOptions { StopSequences = ["x"] }),
            client.KeyFor([new(ChatRole.User, "abc")], new ChatOptions { StopSequences = ["x", ""] }),
        ];
        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Long_texts_are_keyed_whole_across_the_hashing_chunks()
    {
        var client = Client();
        var text = string.Concat(Enumerable.Repeat("fn main() { println!(\"héllo 🌍\"); }\n", 2000));
        var baseline = client.KeyFor([new(ChatRole.User, text)], null);
        Assert.Equal(baseline, client.KeyFor([new(ChatRole.User, new string(text.AsSpan()))], null));
        // A change at the very end, one in the middle (around the first chunk boundary), one at the start.
        string[] changed =
        [
            client.KeyFor([new(ChatRole.User, text + " ")], null),
            client.KeyFor([new(ChatRole.User, text[..4095] + "X" + text[4096..])], null),
            client.KeyFor([new(ChatRole.User, text[..4096] + "X" + text[4097..])], null),
            client.KeyFor([new(ChatRole.User, "X" + text[1..])], null),
        ];
        Assert.DoesNotContain(baseline, changed);
        Assert.Equal(changed.Length, changed.Distinct().Count());
    }

    [Fact]
    public void The_key_of_a_fixed_request_is_pinned_so_a_change_of_what_is_hashed_must_bump_the_format_version()
    {
        // If this fails, the key's input changed: bump ResponseCache.FormatVersion and update the value here.
        Assert.Equal("specsynth-cache-4", ResponseCache.FormatVersion);
        var options = Options(change: o =>
        {
            o.ModelId = "claude-sonnet-4-5";
            o.MaxOutputTokens = 16000;
            o.Temperature = 0.25f;
            o.StopSequences = ["END"];
            o.AdditionalProperties!["num_ctx"] = 4096;
        });
        var key = Client().KeyFor(Messages, options);
        Assert.Equal(PinnedKey, key);
        // What is hashed is unchanged since format 3 (only the version in it moved): the key under the former version is the
        // value computed outside .NET.
        Assert.Equal(PinnedKeyOfFormat3, ResponseCacheCodec.Key(Messages, options, ["specsynth-cache-3", "claude|claude-sonnet-4-5|16000||"], ["template:t1"]));
    }

    [Fact]
    public void The_key_of_each_template_version_is_the_same_in_any_order_and_for_any_sequence_of_messages()
    {
        var client = Client();
        string[] chain = [ResponseCache.FormatVersion, "claude|claude-sonnet-4-5|16000||"];
        string Expected(string template) => ResponseCacheCodec.Key(Messages, Options(template), chain, ["template:" + template]);
        // A template that extends the previous one, the same one again, a shorter one, none: each keyed as itself.
        foreach (var template in new[] { "t1", "t12", "t12", "t1", "", "t1" })
        {
            Assert.Equal(Expected(template), client.KeyFor(Messages, Options(template)));
            Assert.Equal(Expected(template), client.KeyFor(Messages.Select(m => m), Options(template)));
        }
        Assert.Equal(ResponseCacheCodec.Key(Messages, null, chain, ["template:"]), client.KeyFor(Messages, null));
        Assert.Equal(6, new[] { "t1", "t12", "" }.Select(t => client.KeyFor(Messages, Options(t))).Append(client.KeyFor(Messages, null))
            .Append(client.KeyFor(Messages, Options("t1", o => o.AdditionalProperties!["b"] = 1)))
            .Append(client.KeyFor(Messages, Options("t1", o => o.AdditionalProperties!["a"] = 1))).Distinct().Count());
        // Properties in any order give one key (sorted by name, on the message and on the options alike).
        ChatMessage[] ab = [new(ChatRole.User, "x") { AdditionalProperties = new() { ["a"] = 1, ["b"] = "2" } }];
        ChatMessage[] ba = [new(ChatRole.User, "x") { AdditionalProperties = new() { ["b"] = "2", ["a"] = 1 } }];
        Assert.Equal(client.KeyFor(ab, Options("t1", o => { o.AdditionalProperties!["y"] = 1; o.AdditionalProperties["x"] = 2; })),
            client.KeyFor(ba, Options("t1", o => { o.AdditionalProperties!["x"] = 2; o.AdditionalProperties["y"] = 1; })));
    }

    [Fact]
    public async Task An_entry_stored_under_the_previous_format_version_is_never_read()
    {
        var client = Client();
        var old = ResponseCacheCodec.Key(Messages, Options(), ["specsynth-cache-2", "claude|claude-sonnet-4-5|16000||"], ["template:t1"]);
        Assert.NotEqual(old, client.KeyFor(Messages, Options()));
        await _store.SetAsync(old, ResponseCacheCodec.Serialize([new ChatResponseUpdate(ChatRole.Assistant, "stale") { FinishReason = ChatFinishReason.Stop }]),
            new Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });
        var response = await client.GetResponseAsync(Messages, Options());
        Assert.Equal(1, _inner.Calls);
        Assert.False(ResponseCache.IsHit(response));
        Assert.NotEqual("stale", response.Text);
    }

    // Format 3's: computed outside .NET (Python's hashlib over the tagged fields as ResponseCacheKey documents them), not copied
    // from a run. Format 4's (session 15: the entry's bytes changed, not the key's fields): the same request under the new
    // version, taken from a run once the test above showed the fields still hash to format 3's value.
    private const string PinnedKeyOfFormat3 = "9d855fdaaf22b6f5cfdfa397a448f3e853240dfcd2cd86d33b636252850fdb40";
    private const string PinnedKey = "4a5bc28c215c787307e714f03f6766c077fb52a74ba0a036d35cdb78191e0d13";

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }
}
