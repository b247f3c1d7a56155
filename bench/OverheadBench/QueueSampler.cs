using System.Reflection;

namespace OverheadBench;

/// <summary>
/// <c>--queue-sample</c> (session 17, hops17): every ms while the measured blocks run, the thread pool's queued work items
/// (the runtime's own <c>ThreadPool.GetQueuedWorkItems</c>, read by reflection), counted by type (a state machine box by its
/// method, a delegate by its target): which code queues the work items the pipeline adds. Counts are weighted by how long an
/// item waits in the queue, not exact; printed to stderr. Use with <c>--only bare</c> and <c>--only full</c>.
/// </summary>
internal static class QueueSampler
{
    private static readonly Dictionary<string, long> Counts = [];
    private static volatile bool s_on;

    public static void Start()
    {
        var get = typeof(ThreadPool).GetMethod("GetQueuedWorkItems", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)!;
        s_on = true;
        var t = new Thread(() =>
        {
            while (s_on)
            {
                foreach (var item in (IEnumerable<object>)get.Invoke(null, null)!)
                {
                    var name = Name(item);
                    lock (Counts)
                    {
                        Counts[name] = Counts.GetValueOrDefault(name) + 1;
                    }
                }
                Thread.Sleep(1);
            }
        })
        { IsBackground = true };
        t.Start();
    }

    private static string Name(object item)
    {
        var type = item.GetType();
        var name = type.FullName ?? type.Name;
        if (item is Delegate d)
        {
            name += " " + d.Method.DeclaringType?.FullName + "." + d.Method.Name;
        }
        if (item is Task task)
        {
            var f = type.GetField("StateMachine", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
            if (f?.GetValue(item) is { } sm)
            {
                name = "box " + sm.GetType().FullName;
            }
            else if (type.GetField("m_action", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(item) is Delegate a)
            {
                name += " " + a.Method.DeclaringType?.FullName + "." + a.Method.Name;
            }
        }
        return name.Length > 200 ? name[..200] : name;
    }

    public static void Report()
    {
        s_on = false;
        lock (Counts)
        {
            foreach (var (k, v) in Counts.OrderByDescending(p => p.Value).Take(40))
            {
                Console.Error.WriteLine($"{v,8} {k}");
            }
        }
    }
}
