using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpecSynth.Tests.Service;

namespace SpecSynth.Tests.Telemetry;

/// <summary>
/// What a .NET host gets without any OpenTelemetry SDK: spans on <see cref="SpecSynthTelemetry.ActivitySourceName"/>,
/// measurements on <see cref="SpecSynthTelemetry.MeterName"/> and logs through its own <see cref="ILoggerFactory"/>
/// (<c>AddSpecSynth</c> takes it from the container).
/// </summary>
public sealed class LibraryTelemetryTests
{
    private static readonly ActivitySource TestSource = new("SpecSynth.Tests.Host");

    [Fact]
    public async Task AHostListeningToTheNamedSource_SeesTheRunUnderItsOwnSpan_AndItsLoggerGetsTheAreas()
    {
        using var world = new ServiceWorld();
        var logs = new CapturingLoggerFactory();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = ListenTo(spans);
        var measured = new ConcurrentQueue<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SpecSynthTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((i, _, _, _) => measured.Enqueue(i.Name));
        meters.SetMeasurementEventCallback<int>((i, _, _, _) => measured.Enqueue(i.Name));
        meters.SetMeasurementEventCallback<double>((i, _, _, _) => measured.Enqueue(i.Name));
        meters.Start();
        await using var services = world.Services(s => s.AddSingleton<ILoggerFactory>(logs));
        var service = services.GetRequiredService<ISpecSynthesizer>();

        ActivityTraceId trace;
        using (var host = TestSource.StartActivity("host request"))
        {
            trace = host!.TraceId;
            var result = await service.GenerateAsync(new GenerateRequest { SpecPath = world.SpecPath, Providers = "mock", DryRun = true });
            Assert.Equal(GenerateStatus.DryRun, result.Status);
        }

        var mine = spans.Where(s => s.TraceId == trace).ToList();
        var hostSpan = Assert.Single(mine, s => s.OperationName == "host request");
        var run = Assert.Single(mine, s => s.OperationName == "specsynth.generate");
        Assert.Equal(hostSpan.SpanId, run.ParentSpanId);
        var chat = Assert.Single(mine, s => s.OperationName == "chat mock-1");
        Assert.Equal("mock", chat.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(ActivityKind.Client, chat.Kind);
        Assert.Equal("specsynth.attempt", mine.Single(s => s.SpanId == chat.ParentSpanId).OperationName);
        Assert.Contains("gen_ai.client.token.usage", measured);
        Assert.Contains("gen_ai.client.operation.duration", measured);
        Assert.Contains("specsynth.requests", measured);
        Assert.Contains(logs.Lines, l => l.StartsWith("Information SpecSynth.Run: specsynth.generate finished in ", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug SpecSynth.Pipeline: generate request to mock/mock-1", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug SpecSynth.Context: planned the prompt", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug SpecSynth.Validation: validation round 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContextAndIndex_AreRunsToo_EachUnderTheHostsSpan_WithTheRunsLogLine()
    {
        using var world = new ServiceWorld();
        var logs = new CapturingLoggerFactory();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = ListenTo(spans);
        await using var services = world.Services(s => s.AddSingleton<ILoggerFactory>(logs));
        var service = services.GetRequiredService<ISpecSynthesizer>();

        ActivityTraceId trace;
        using (var host = TestSource.StartActivity("host request"))
        {
            trace = host!.TraceId;
            var plan = await service.ContextAsync(new ContextRequest { SpecPath = world.SpecPath, Providers = "mock" });
            Assert.NotEmpty(plan.Items);
            var index = await service.IndexAsync(new IndexRequest { ProjectRoot = world.Project });
            Assert.True(index.Files > 0);
        }

        var mine = spans.Where(s => s.TraceId == trace).ToList();
        var hostSpan = Assert.Single(mine, s => s.OperationName == "host request");
        Assert.Equal(hostSpan.SpanId, Assert.Single(mine, s => s.OperationName == "specsynth.context").ParentSpanId);
        Assert.Equal(hostSpan.SpanId, Assert.Single(mine, s => s.OperationName == "specsynth.index").ParentSpanId);
        Assert.Contains(logs.Lines, l => l.StartsWith("Information SpecSynth.Run: specsynth.context finished in ", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.StartsWith("Information SpecSynth.Run: specsynth.index finished in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedContextCall_EndsItsSpanAsAnError_WithTheErrorKind()
    {
        using var world = new ServiceWorld();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = ListenTo(spans);
        await using var services = world.Services();
        var service = services.GetRequiredService<ISpecSynthesizer>();

        ActivityTraceId trace;
        using (var host = TestSource.StartActivity("host request"))
        {
            trace = host!.TraceId;
            await Assert.ThrowsAsync<SpecSynthException>(() =>
                service.ContextAsync(new ContextRequest { SpecPath = Path.Combine(world.Project, "no-such-spec.md"), Providers = "mock" }));
        }

        var run = Assert.Single(spans.Where(s => s.TraceId == trace), s => s.OperationName == "specsynth.context");
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.NotNull(run.GetTagItem("error.type"));
    }

    /// <summary>Records every span of specsynth's source and of this test host's as it stops.</summary>
    private static ActivityListener ListenTo(ConcurrentQueue<Activity> spans) =>
        SpanRecorder.Listen(spans, SpecSynthTelemetry.ActivitySourceName, TestSource.Name);

    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerFactory factory, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                factory._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
        }
    }
}
