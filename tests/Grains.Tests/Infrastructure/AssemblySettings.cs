// Every test shares one cluster and one business clock that tests move forward: they must never run
// in parallel, even a test class that forgets to join the cluster collection.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
