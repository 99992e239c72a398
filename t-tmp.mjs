import * as echarts from 'echarts';
const c = echarts.init(null, null, {renderer:'svg', ssr:true, width:640, height:360});
c.setOption({animation:false, aria:{enabled:true, label:{description:'Observed TTFT vs SLA'}}, textStyle:{fontFamily:'system-ui, sans-serif'}, legend:{top:4}, grid:{left:16,right:24,top:40,bottom:16, containLabel:true},
 xAxis:{type:'value', name:'simulated time (hh:mm:ss)', nameLocation:'middle', nameGap:28},
 yAxis:{type:'value', name:'TTFT (ms)', nameLocation:'middle', nameGap:48},
 series:[{type:'line', name:'observed', showSymbol:false, data:[[0,100],[10,300],[20,null],[30,200],[40,650]]}, {type:'line', name:'TTFT SLA (500 ms)', showSymbol:false, lineStyle:{type:'dashed', color:'red'}, itemStyle:{color:'red'}, data:[[0,500],[40,500]]}]});
console.log(c.renderToSVGString());
