extension ConsoleTemplates {
    static let pool = """
        <div class="figures" id="pool-now" data-live>
        <p class="figure">On now<b id="on-now">{{on}}</b></p>
        <p class="figure">Computers<b id="computer-count">{{total}}</b></p>
        <p class="figure">Room<b>{{room}}</b></p>
        <p class="figure">Agent<b>{{agent}}</b></p>
        </div>
        <h2>Computers</h2>
        <div class="grid" id="computers" data-live>
        {{#computers}}<div class="pc{{#up}} on{{/up}}" data-address="{{address}}" data-up="{{upText}}"><b>{{address}}</b>{{upText}}<br><span class="muted">seen {{lastSweep}}<br>rtt {{rtt}}</span></div>
        {{/computers}}
        </div>
        <h2>Today</h2>
        {{{hourly}}}
        <h2>Runtime and energy per day</h2>
        <form method="get" action="/console/pools/{{name}}" class="panel" id="report-range">
        <label>From <input name="from" type="date" value="{{from}}"></label>
        <label>Through <input name="through" type="date" value="{{through}}"></label>
        <button>Show</button>
        </form>
        <div class="charts">{{{runtime}}}{{{energy}}}</div>
        <table id="report"><thead><tr><th>Day</th><th class="num">Runtime (h)</th><th class="num">Average (h)</th><th class="num">Energy (kWh)</th><th class="num">Used</th><th class="num">Unknown (h)</th></tr></thead><tbody>
        {{#days}}<tr><td>{{date}}</td><td class="num">{{runtime}}</td><td class="num">{{average}}</td><td class="num">{{energy}}</td><td class="num">{{used}}</td><td class="num">{{unknown}}</td></tr>{{/days}}
        </tbody></table>
        <h2>Export (CSV)</h2>
        {{{exportForm}}}
        {{#admin}}
        <h2>Admin</h2>
        <form method="post" action="/console/pools/{{name}}/edit" class="panel" id="edit-pool">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Room <input name="room" value="{{room}}"></label>
        <label>Watts per PC <input name="watts" type="number" step="any" min="0" value="{{watts}}"></label>
        <label>Standby watts <input name="standby_watts" type="number" step="any" min="0" value="{{standbyWatts}}"></label>
        <label>Agent id <input name="agent" value="{{agent}}"></label>
        <button>Save pool</button>
        </form>
        <form method="post" action="/console/pools/{{name}}/computers" class="panel" id="computers-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label>Computers (addresses or START-END, one a line) <textarea name="computers" rows="3"></textarea></label>
        <label>Action <select name="action"><option value="add">add</option><option value="remove">remove</option></select></label>
        <button>Apply</button>
        </form>
        <form method="post" action="/console/pools/{{name}}/delete" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button class="danger" id="delete-pool">Delete pool</button></form>
        {{/admin}}
        """
}
