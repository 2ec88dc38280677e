"""A Vega-Lite widget that compiles a chart once and then only swaps its data.

Solara's ``FigureAltair`` re-embeds the whole chart whenever the spec changes: Vega-Lite compiles
it again, Vega builds a new view and redraws from scratch, after a 100 ms debounce. With a map
and four charts that cost about half a second in the browser for each month shown. This widget
splits the spec in two traits: ``spec`` (everything but the data, which changes only when the
chart's layout does) and ``datasets`` (the named data sources, new every frame). A new ``spec``
embeds the chart; new ``datasets`` are pushed into the existing view with ``view.data`` and
redrawn by Vega's dataflow, which re-runs only what depends on them.

Each chart carries two small buttons, PNG and SVG, that download the picture as the browser
drew it (Vega's ``view.toImageURL``), named after the chart (``sciencecity_<name>.png``).

The scripts come from the same local asset folders as Solara's own Vega-Lite widget
(``vega@5``, ``vega-lite@5``, ``vega-embed@6`` under ``/_solara/cdn``), so it works offline.
The Vue source is kept here as a string so the package needs no data files.
"""

from __future__ import annotations

import ipyvuetify as v
import traitlets

VUE_TEMPLATE = r"""
<template>
    <div class="sc-vega-view">
        <div ref="plotElement"></div>
        <div class="sc-export">
            <button class="sc-export-png" title="Download this picture as PNG"
                    @click="download('png')">PNG</button>
            <button class="sc-export-svg" title="Download this picture as SVG"
                    @click="download('svg')">SVG</button>
        </div>
    </div>
</template>
<script>
module.exports = {
    created() {
        this.vegaLoaded = this.loadVega();
        this.embedToken = 0;
        this.view = null;
    },
    mounted() {
        this.embed();
    },
    destroyed() {
        this.embedToken += 1;
        if (this.observer) {
            this.observer.disconnect();
        }
        if (this.view) {
            this.view.finalize();
            this.view = null;
        }
    },
    watch: {
        spec() {
            this.embed();
        },
        datasets() {
            this.update();
        },
    },
    methods: {
        copy(value) {
            return JSON.parse(JSON.stringify(value || {}));
        },
        async embed() {
            const token = ++this.embedToken;
            await this.vegaLoaded;
            if (!this.spec || !Object.keys(this.spec).length || token !== this.embedToken) {
                return;
            }
            const vegaEmbed = await new Promise((resolve, reject) => {
                require(['vega-embed'], resolve, reject);
            });
            const used = this.datasets;
            const spec = {...this.copy(this.spec), datasets: this.copy(used)};
            const el = this.$refs.plotElement;
            const result = await vegaEmbed(el, spec, {actions: false, renderer: 'svg'});
            if (token !== this.embedToken) {
                result.view.finalize();
                return;
            }
            if (this.view) {
                this.view.finalize();
            }
            this.view = result.view;
            if (spec.width === 'container' && !this.observer) {
                el.classList.add('width-container');
                this.observer = new ResizeObserver(() => this.view && this.view.resize());
                this.observer.observe(el);
            }
            if (this.datasets !== used) {
                this.update();  // data that arrived while the chart was being embedded
            }
        },
        async update() {
            if (!this.view) {
                return;  // embed() shows the newest datasets when it finishes
            }
            const view = this.view;
            for (const [name, values] of Object.entries(this.copy(this.datasets))) {
                view.data(name, values);
            }
            await view.runAsync();
        },
        async download(format) {
            if (!this.view) {
                return;
            }
            const url = await this.view.toImageURL(format, format === 'png' ? 2 : 1);
            const link = document.createElement('a');
            link.href = url;
            link.download = `sciencecity_${this.name || 'chart'}.${format}`;
            document.body.appendChild(link);
            link.click();
            link.remove();
        },
        async loadVega() {
            await this.loadRequire();
            require.config({
                map: {
                    '*': {
                        'vega': `${this.getCdn()}/vega@5/build/vega.min.js`,
                        'vega-lite': `${this.getCdn()}/vega-lite@5/build/vega-lite.min.js`,
                        'vega-embed': `${this.getCdn()}/vega-embed@6/build/vega-embed.min.js`,
                    }
                }
            });
            await new Promise((resolve, reject) => {
                require(['vega', 'vega-lite', 'vega-embed'], () => resolve(), reject);
            });
        },
        loadRequire() {
            if (window.requirejs) {
                return Promise.resolve();
            }
            return new Promise((resolve, reject) => {
                const script = document.createElement('script');
                script.src = `${this.getCdn()}/requirejs@2.3.6/require.js`;
                script.onload = resolve;
                script.onerror = reject;
                document.head.appendChild(script);
            });
        },
        getJupyterBaseUrl() {
            if (document.getElementsByTagName("base").length) {
                return "./";
            }
            const labConfigData = document.getElementById('jupyter-config-data');
            if (labConfigData) {
                return JSON.parse(labConfigData.textContent).baseUrl;
            }
            let base = document.body.dataset.baseUrl || document.baseURI;
            if (!base.endsWith('/')) {
                base += '/';
            }
            return base;
        },
        getCdn() {
            return this.cdn || (window.solara ? window.solara.cdn
                : `${this.getJupyterBaseUrl()}_solara/cdn`);
        },
    },
}
</script>
<style id="sc-vega-view-width">
.sc-vega-view .width-container.vega-embed {
    width: 100%;
}
.sc-vega-view .sc-export {
    text-align: right;
    line-height: 1;
}
.sc-vega-view .sc-export button {
    font-size: 10px;
    color: #546e7a;
    border: 1px solid #cfd8dc;
    border-radius: 3px;
    padding: 0 4px;
    margin-left: 4px;
}
</style>
"""


class VegaView(v.VuetifyTemplate):
    """Vega-Lite chart whose layout (``spec``) and data (``datasets``) update separately."""

    template = traitlets.Unicode(VUE_TEMPLATE).tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)
    datasets = traitlets.Dict().tag(sync=True)
    name = traitlets.Unicode("chart").tag(sync=True)
    cdn = traitlets.Unicode(None, allow_none=True).tag(sync=True)

    @traitlets.default("cdn")
    def _cdn(self) -> str | None:
        import solara.settings

        if not solara.settings.assets.proxy:
            return solara.settings.assets.cdn
        return None
