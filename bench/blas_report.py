"""One line naming the BLAS the process has loaded (library, version, the kernel it picked for this CPU, threads),
printed by the comparison scripts beside their figures. Call it after numpy (or torch) is imported."""


def blas_line():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # fall back to the shared objects mapped into this process
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "blas" in line.lower()})
        return "BLAS libraries loaded: " + (", ".join(libs) or "none found")
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    if not infos:
        return "BLAS: none loaded"
    return "BLAS: " + "; ".join(
        f"{i.get('internal_api')} {i.get('version')} ({i.get('filepath')}), kernel {i.get('architecture')}, "
        f"{i.get('num_threads')} thread(s)" for i in infos)
