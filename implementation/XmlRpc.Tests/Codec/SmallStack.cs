namespace XmlRpc.Tests.Codec;

/// <summary>Runs code on a thread with a 1 MiB stack, a common default (test runner threads may have more), so deep-recursion tests are realistic.</summary>
internal static class SmallStack
{
    /// <summary>Runs <paramref name="action"/> and returns what it threw, or null.</summary>
    public static Exception? Run(Action action)
    {
        Exception? caught = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    caught = e;
                }
            },
            1024 * 1024);
        thread.Start();
        thread.Join();
        return caught;
    }
}
