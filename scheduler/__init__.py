"""The scheduler: a process of the platform (`manage.py procrastinate worker`, on PostgreSQL through procrastinate)
that runs the periodic jobs every app declares in its `jobs.py`, records every run (JobRun) and serves them at
/api/jobs. It owns the job collection, the run record and the worker's task registration."""
