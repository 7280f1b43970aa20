// Runtime tabs: a run of consecutive ```rust,tokio / ```rust,async-std / ```rust,smol blocks
// becomes one tab group. The reader's choice applies to every group on the page and is kept
// in localStorage, so it sticks across pages and reloads. No libraries, no network.
(function runtimeTabs() {
    'use strict';
    const RUNTIMES = ['tokio', 'async-std', 'smol'];
    const KEY = 'loopbot.runtime';
    const groups = [];

    function runtimeOf(el) {
        if (!el || el.tagName !== 'PRE') { return null; }
        const code = el.querySelector(':scope > code');
        return code ? RUNTIMES.find((r) => code.classList.contains(r)) || null : null;
    }

    function stored() {
        try { return localStorage.getItem(KEY); } catch (e) { return null; }
    }

    function store(runtime) {
        try { localStorage.setItem(KEY, runtime); } catch (e) { /* private mode: page only */ }
    }

    // Runs of sibling <pre> blocks; a runtime seen twice starts a new group.
    function findRuns() {
        const runs = [];
        const seen = new Set();
        document.querySelectorAll('pre').forEach((pre) => {
            const runtime = runtimeOf(pre);
            if (!runtime || seen.has(pre)) { return; }
            const run = [];
            for (let el = pre; runtimeOf(el); el = el.nextElementSibling) {
                if (run.some((p) => runtimeOf(p) === runtimeOf(el))) { break; }
                run.push(el);
                seen.add(el);
            }
            runs.push(run);
        });
        return runs;
    }

    function build(run, n) {
        const wrapper = document.createElement('div');
        wrapper.className = 'runtime-tabs';
        const bar = document.createElement('div');
        bar.className = 'runtime-tabs-bar';
        bar.setAttribute('role', 'tablist');
        bar.setAttribute('aria-label', 'Async runtime');
        run[0].parentNode.insertBefore(wrapper, run[0]);
        wrapper.appendChild(bar);
        const tabs = [];
        RUNTIMES.forEach((runtime) => {
            const pre = run.find((p) => runtimeOf(p) === runtime);
            if (!pre) { return; }
            const id = 'runtime-tabs-' + n + '-' + runtime;
            const tab = document.createElement('button');
            tab.type = 'button';
            tab.id = id + '-tab';
            tab.textContent = runtime;
            tab.dataset.runtime = runtime;
            tab.setAttribute('role', 'tab');
            tab.addEventListener('click', () => choose(runtime, bar));
            bar.appendChild(tab);
            pre.id = pre.id || id;
            tab.setAttribute('aria-controls', pre.id);
            pre.dataset.runtime = runtime;
            pre.setAttribute('role', 'tabpanel');
            pre.tabIndex = 0; // so the keyboard can reach and scroll a wide block
            pre.setAttribute('aria-labelledby', tab.id);
            wrapper.appendChild(pre);
            tabs.push({ runtime, tab, pre });
        });
        bar.addEventListener('keydown', (e) => {
            const i = tabs.findIndex((t) => t.tab === document.activeElement);
            const moves = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: tabs.length - 1 };
            if (i < 0 || !(e.key in moves) || e.altKey || e.ctrlKey || e.metaKey) { return; }
            // Keep mdBook's arrow-key chapter navigation from firing while on a tab.
            e.preventDefault();
            e.stopPropagation();
            const next = tabs[(moves[e.key] + tabs.length) % tabs.length];
            choose(next.runtime, bar);
            next.tab.focus();
        });
        return tabs;
    }

    function show(runtime) {
        groups.forEach((tabs) => {
            const active = tabs.find((t) => t.runtime === runtime) || tabs[0];
            tabs.forEach((t) => {
                const on = t === active;
                t.tab.setAttribute('aria-selected', on ? 'true' : 'false');
                t.tab.tabIndex = on ? 0 : -1;
                t.pre.hidden = !on;
            });
        });
    }

    function choose(runtime, bar) {
        // Switching other groups above may change their height: keep the clicked bar still.
        const before = bar.getBoundingClientRect().top;
        show(runtime);
        store(runtime);
        window.scrollBy(0, bar.getBoundingClientRect().top - before);
    }

    function init() {
        findRuns().forEach((run, n) => groups.push(build(run, n)));
        if (!groups.length) { return; }
        const saved = stored();
        show(RUNTIMES.includes(saved) ? saved : RUNTIMES[0]);
        // Another open tab of the book changed the choice: follow it.
        window.addEventListener('storage', (e) => {
            if (e.key === KEY && RUNTIMES.includes(e.newValue)) { show(e.newValue); }
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
})();
