extension ConsoleTemplates {
    static let pools = """
        <div class="scroll">
        <table id="pools" data-live>
        <thead><tr><th>Pool</th><th>Room</th><th>Agent</th><th class="num">On now</th><th class="num">Computers</th></tr></thead>
        <tbody>
        {{#pools}}<tr data-pool="{{name}}"><td><a href="/console/pools/{{name}}">{{name}}</a></td><td>{{room}}</td><td>{{agent}}</td><td class="num on-now">{{on}}</td><td class="num">{{total}}</td></tr>
        {{/pools}}
        {{^pools}}<tr><td colspan="5" class="muted">No pools yet.</td></tr>{{/pools}}
        </tbody>
        </table>
        </div>
        <h2>Export runtime and energy (CSV)</h2>
        {{{exportForm}}}
        {{#admin}}
        <h2>New pool</h2>
        <form method="post" action="/console/pools" class="panel" id="create-pool">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Name <input name="name" required></label>
        <label>Room <input name="room" required></label>
        <label>Agent id <input name="agent" required></label>
        <label>Watts per PC <input name="watts" type="number" step="any" min="0" required></label>
        <label>Standby watts <input name="standby_watts" type="number" step="any" min="0"></label>
        <label>Sweep every (seconds) <input name="interval" type="number" min="1" value="300"></label>
        <label>Computers (addresses or START-END, one a line) <textarea name="computers" rows="3"></textarea></label>
        <label class="check"><input type="checkbox" name="allow_unregistered" value="1"> Agent registers later</label>
        <button id="create-pool-button">Create pool</button>
        </form>
        {{/admin}}
        """

    static let exportForm = """
        <form method="get" action="/console/pools/export.csv" class="panel" id="export-form">
        {{#pools}}<label class="check"><input type="checkbox" name="pool_ids" value="{{id}}"{{#checked}} checked{{/checked}}> {{name}}</label>{{/pools}}
        <label>From <input name="start_date" type="date" value="{{from}}" required></label>
        <label>Through <input name="end_date" type="date" value="{{through}}" required></label>
        <label>Dialect <select name="output_format"><option value="unix">unix</option><option value="excel">excel</option></select></label>
        <button>Export CSV</button>
        </form>
        <p class="muted">No pool ticked exports every pool, as the pinger's export did.</p>
        """
}
