using System.Net;
using Firecrest.Core.Client;
using Firecrest.Core.Tests.Health;

namespace Firecrest.Core.Tests.Client;

/// <summary>A clock whose timers fire at once; it records every delay asked for and moves time forward by it.</summary>
internal sealed class InstantTimers(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public List<TimeSpan> Delays { get; } = [];

    public override DateTimeOffset GetUtcNow()
    {
        lock (Delays) return _now;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (Delays)
        {
            Delays.Add(dueTime);
            _now += dueTime;
        }
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Hands out tok1, tok2, … and counts invalidations.</summary>
internal sealed class CountingTokens : IAccessTokenProvider
{
    private int _issued = 1;

    public int Invalidations { get; private set; }

    public Task<string> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult($"tok{_issued}");

    public void Invalidate()
    {
        Invalidations++;
        _issued++;
    }
}

/// <summary>A client on a fake server whose answers come from a queue (the last answer repeats).</summary>
internal sealed class FakeServer
{
    public static readonly DateTimeOffset Start = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly Queue<Func<HttpResponseMessage>> _answers = new();
    private Func<HttpResponseMessage>? _last;

    public FakeServer(int maxRetries = 4)
    {
        Handler = new FakeHttpHandler((_, _) => Task.FromResult(Next()));
        Client = new FirecrestClient(new Uri("http://firecrest.test/api/v2/"), Tokens, new FirecrestClientOptions
        {
            HttpClient = new HttpClient(Handler),
            MaxRetries = maxRetries,
            TimeProvider = Clock,
            BaseRetryDelay = TimeSpan.FromSeconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(30),
        });
    }

    public FakeHttpHandler Handler { get; }

    public InstantTimers Clock { get; } = new(Start);

    public CountingTokens Tokens { get; } = new();

    public FirecrestClient Client { get; }

    public List<(HttpRequestMessage Request, string Body)> Requests => Handler.Requests;

    public FakeServer Answer(HttpStatusCode status, string json = "", Action<HttpResponseMessage>? headers = null)
    {
        _answers.Enqueue(() =>
        {
            var r = FakeHttpHandler.Json(status, json);
            headers?.Invoke(r);
            return r;
        });
        return this;
    }

    public FakeServer Fail(Exception e)
    {
        _answers.Enqueue(() => throw e);
        return this;
    }

    private HttpResponseMessage Next()
    {
        if (_answers.Count > 0) _last = _answers.Dequeue();
        return (_last ?? throw new InvalidOperationException("no answer queued"))();
    }
}
