using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using SpecSynth.Providers;
using SpecSynth.Middleware;
using SpecSynth.Tests.Fakes;

namespace SpecSynth.Tests.Middleware;

/// <summary>
/// Fake servers, real SDK clients (through <see cref="ProviderClientFactory"/>), the pipeline under a
/// <see cref="FakeTimeProvider"/>, and a driver that advances fake time while a call is pending.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    private readonly List<FakeProviderServer> servers = [];
    private readonly List<IChatClient> clients = [];
    private readonly ConcurrentDictionary<FakeProviderServer, ConcurrentQueue<DateTimeOffset>> arrivals = new();

    public Harness() => Observer = new RecordingResilienceObserver(Time);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    public RecordingResilienceObserver Observer { get; }

    public ResilienceOptions Options { get; set; } = new() { StreamIdleTimeout = TimeSpan.FromHours(1), Retry = new RetryOptions { AttemptTimeout = TimeSpan.FromHours(1) } };

    /// <summary>Starts a fake server that notes the fake time at which each chat request arrives.</summary>
    public async Task<FakeProviderServer> ServerAsync()
    {
        var server = await FakeProviderServer.StartAsync();
        var times = arrivals.GetOrAdd(server, _ => new());
        server.Router = request =>
        {
            if (ProviderWire.IsChat(request))
            {
                times.Enqueue(Time.GetUtcNow());
            }
            return null;
        };
        servers.Add(server);
        return server;
    }

    /// <summary>The fake times at which <paramref name="server"/> received chat requests.</summary>
    public IReadOnlyList<DateTimeOffset> Arrivals(FakeProviderServer server) => [.. arrivals[server]];

    public ProviderLink Link(string provider, FakeProviderServer server)
    {
        var client = ProviderClientFactory.Create(ProviderWire.Settings(provider, server), time: Time);
        clients.Add(client);
        return new ProviderLink(provider, client, 200_000) { Model = ProviderWire.Settings(provider, server).Model };
    }

    public IChatClient Build(params ProviderLink[] chain) =>
        ResiliencePipeline.BuildWith(chain, Options, Time, Observer, new ResilienceRegistry(Time), new Random(7));

    /// <summary>Runs <paramref name="call"/>, advancing fake time by <paramref name="step"/> whenever it is waiting.</summary>
    public async Task<T> DriveAsync<T>(Func<Task<T>> call, TimeSpan? step = null)
    {
        var task = Task.Run(call);
        var start = Time.GetUtcNow();
        while (!task.IsCompleted)
        {
            await Task.WhenAny(task, Task.Delay(3));
            if (!task.IsCompleted)
            {
                Assert.True(Time.GetUtcNow() - start < TimeSpan.FromHours(2), "the call never finished");
                Time.Advance(step ?? TimeSpan.FromMilliseconds(250));
            }
        }
        return await task;
    }

    public Task<ChatResponse> AskAsync(IChatClient client) =>
        DriveAsync(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "write the code")]));

    /// <summary>Streams like a caller that follows the restart rule: drops what it gathered when it sees the marker.</summary>
    public Task<(ChatResponse Response, int Restarts, string? Provider)> StreamAsync(IChatClient client, TimeSpan? step = null) =>
        DriveAsync(() => GatherAsync(client), step);

    public static async Task<(ChatResponse Response, int Restarts, string? Provider)> GatherAsync(IChatClient client)
    {
        var updates = new List<ChatResponseUpdate>();
        var restarts = 0;
        string? provider = null;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "write the code")]))
        {
            if (ResiliencePipeline.IsRestart(update))
            {
                updates.Clear();
                restarts++;
            }
            if (update.AdditionalProperties?.TryGetValue(ResiliencePipeline.ProviderProperty, out var name) == true)
            {
                provider = (string?)name;
            }
            updates.Add(update);
        }
        return (updates.ToChatResponse(), restarts, provider);
    }

    public IEnumerable<ResilienceEvent> Events(string kind) => Observer.Events.Where(e => e.Kind == kind);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }
    }
}
